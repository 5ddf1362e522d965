"""Workbooks that unpack to far more than they weigh, made in memory: a real workbook with one
part swapped for a bomb (written to the zip a piece at a time, never held whole)."""

import io
import zipfile
from collections.abc import Collection, Iterable, Iterator

from tests.imports.sheets import xlsx_bytes

MIB = 1024 * 1024
HEADER = ["ИИН", "Фамилия", "Имя"]


def with_part(name: str, pieces: Iterable[bytes]) -> bytes:
    """A real workbook whose part ``name`` is the concatenation of ``pieces``."""
    return rebuilt({name: pieces})


def rebuilt(parts: dict[str, Iterable[bytes]], dropped: Collection[str] = ()) -> bytes:
    """A real workbook with ``parts`` written anew (or added) and ``dropped`` left out."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, ["000000000000", "A", "B"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            if member.filename not in parts and member.filename not in dropped:
                target.writestr(member, source.read(member))
        for name, pieces in parts.items():
            with target.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    part.write(piece)
    return out.getvalue()


def part_of(name: str) -> bytes:
    """A part of the real workbook ``rebuilt`` starts from."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, ["000000000000", "A", "B"]])))
    return source.read(name)


def shared_strings_bomb(unpacked_bytes: int) -> bytes:
    """A table of shared strings ``unpacked_bytes`` long: short strings, a great many."""
    one = b"<si><t>" + b"x" * 40 + b"</t></si>"
    block = one * (MIB // len(one))

    def pieces() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
        yield b'spreadsheetml/2006/main">'
        for _ in range(unpacked_bytes // len(block)):
            yield block
        yield b"</sst>"

    return with_part("xl/sharedStrings.xml", pieces())


def one_string_bomb(unpacked_bytes: int) -> bytes:
    """A sheet whose second row holds one inline string ``unpacked_bytes`` long."""
    block = b"A" * MIB

    def pieces() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        yield b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        yield "ИИН".encode() + b'</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>'
        for _ in range(unpacked_bytes // MIB):
            yield block
        yield b"</t></is></c></row></sheetData></worksheet>"

    return with_part("xl/worksheets/sheet1.xml", pieces())
