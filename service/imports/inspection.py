"""A workbook measured before it is parsed, with bounded memory, whatever its compression.

An XLSX file is a zip of XML parts, and a few hundred kilobytes can unpack to hundreds of
megabytes of text: a table of shared strings that a parser holds whole in memory, or one
cell of a single 390 MB string. So before any XML parser sees a workbook, every part is
read through once, a chunk at a time, and counted: each part's declared size, the shared
strings, the rows and cells, the widest column, and the longest run of text (a cell holds
at most 32,767 characters in Excel itself). Past a limit the file is refused as a whole,
having cost the server a 64 KiB buffer; nothing is decompressed further.
"""

import re
import zipfile
from dataclasses import dataclass

from service.imports.headers import FileProblem
from service.kit.i18n import _

CHUNK = 64 * 1024
MAX_CELL_CHARACTERS = 32_767
"""Excel's own limit of a cell's text."""
MAX_TEXT_BYTES = 4 * MAX_CELL_CHARACTERS + 64
"""A cell's text in UTF-8 at 4 bytes a character (with its escaping's slack)."""
MAX_COLUMNS = 100
"""The widest row read: every kind of import has under 30 columns, and a sheet whose rows
reach column XFD would be 16,384 cells a row to walk."""
MAX_SHARED_STRINGS = 500_000
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
"""The shared-string table is held whole while a workbook is read: a real one of 100,000
graduates is a few megabytes, as the same names, places and specialities repeat."""
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
"""What a workbook may unpack to in all: a real one of 100,000 rows is some tens of
megabytes."""
CELLS_PER_ROW = 50
"""The cells a workbook may hold, per row it may hold."""

_PREFIX = rb"<(?:[A-Za-z_][\w.\-]*:)?"
_SHARED_STRING = re.compile(_PREFIX + rb"si[\s>]")
_ROW = re.compile(_PREFIX + rb"row[\s>/]")
_CELL = re.compile(_PREFIX + rb"c[\s>/]")
# A cell's reference of two or three letters (column AA and beyond; a row's is digits alone).
_WIDE_REFERENCE = re.compile(rb'\sr="([A-Z]{2,3})[0-9]')
# A run of text MAX_TEXT_BYTES long, tried only where a run begins (linear time).
_LONG_TEXT = re.compile(rb"(?<![^<>])[^<>]{%d}" % MAX_TEXT_BYTES)
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    rows: int
    cells: int

    @classmethod
    def for_rows(cls, max_rows: int) -> "Limits":
        # Room for title rows above the header and a sheet of notes beside the data.
        rows = max_rows + 1_000
        return cls(rows=rows, cells=rows * CELLS_PER_ROW)


def _too_large(what: str) -> FileProblem:
    return FileProblem(
        "workbook_too_large",
        _("The workbook holds more than an import reads (%(what)s): save it as CSV, or split it.")
        % {"what": what},
    )


def _cell_too_long() -> str:
    return _("a cell of over %(n)s characters") % {"n": MAX_CELL_CHARACTERS}


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@dataclass
class _Counts:
    limits: Limits
    shared_strings: int = 0
    rows: int = 0
    cells: int = 0

    def scan(self, text: bytes) -> None:
        """Counts what ``text`` holds: whole tags only (the caller keeps a tag's start)."""
        if _DECLARATIONS.search(text):
            # No part of a workbook declares a DTD; entity expansion is a bomb of its own.
            raise FileProblem("unreadable_file", _("The workbook's XML declares entities."))
        if _LONG_TEXT.search(text):
            raise _too_large(_cell_too_long())
        self.shared_strings += len(_SHARED_STRING.findall(text))
        self.rows += len(_ROW.findall(text))
        self.cells += len(_CELL.findall(text))
        if any(_column_number(m) > MAX_COLUMNS for m in _WIDE_REFERENCE.findall(text)):
            raise _too_large(_("a column beyond column %(n)s") % {"n": MAX_COLUMNS})
        if self.shared_strings > MAX_SHARED_STRINGS:
            raise _too_large(_("over %(n)s different texts") % {"n": MAX_SHARED_STRINGS})
        if self.rows > self.limits.rows:
            raise _too_large(_("over %(n)s rows") % {"n": self.limits.rows})
        if self.cells > self.limits.cells:
            raise _too_large(_("over %(n)s cells") % {"n": self.limits.cells})


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, counts: _Counts) -> None:
    carried = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            text = carried + chunk
            # From the last "<" on, the text is kept for the next chunk: a tag cut at the
            # chunk's end is counted whole, and a run of text is measured whole.
            cut = text.rfind(b"<")
            whole, carried = (b"", text) if cut == -1 else (text[:cut], text[cut:])
            counts.scan(whole)
            if len(carried) > 2 * MAX_TEXT_BYTES:  # a tag and a run, one of them too long
                raise _too_large(_cell_too_long())
    counts.scan(carried)


def inspect_workbook(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Raises ``FileProblem`` for a workbook past the limits, having read it with bounded
    memory; a damaged zip raises ``zipfile.BadZipFile`` (or ``ValueError``)."""
    members = archive.infolist()
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise FileProblem(
            "unpacked_too_large",
            _("The workbook unpacks to over %(limit)s MB: save it as CSV, or split it.")
            % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)},
        )
    counts = _Counts(limits)
    for member in members:
        if not member.filename.lower().endswith((".xml", ".rels")):
            continue  # pictures, printer settings: never parsed as XML
        shared = member.filename.lower().endswith("sharedstrings.xml")
        if shared and member.file_size > MAX_SHARED_STRINGS_BYTES:
            limit = MAX_SHARED_STRINGS_BYTES // (1024 * 1024)
            raise _too_large(_("over %(n)s MB of text") % {"n": limit})
        _scan_part(archive, member, counts)
