"""A workbook measured before it is parsed, with bounded memory, whatever its compression.

An XLSX file is a zip of XML parts, and a few hundred kilobytes can unpack to hundreds of
megabytes of text: a table of shared strings that a parser holds whole in memory, or one
cell of a single 390 MB string. So before any XML parser sees a workbook, every part is
read through once, a chunk at a time, and counted: each part's declared size, the shared
strings, the rows and cells, the widest column, and the longest run of text (a cell holds
at most 32,767 characters in Excel itself). Past a limit the file is refused as a whole,
having cost the server a 64 KiB buffer; nothing is decompressed further.
"""

import posixpath
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

MAX_OTHER_ELEMENTS = 250_000
"""Elements of a part that is neither a worksheet nor the table of shared strings (styles,
the workbook, relationships): parsed into a tree whole, a real one has a few thousand."""
MAX_PACKAGE_PART_BYTES = 1024 * 1024
"""The content types and relationships read to find the worksheets and shared strings."""

_PREFIX = rb"<(?:[^\s<>/:!?=]+:)?"
_SHARED_STRING = re.compile(_PREFIX + rb"si[\s>/]")
_ROW = re.compile(_PREFIX + rb"row[\s>/]")
_CELL = re.compile(_PREFIX + rb"c[\s>/]")
# A row's number; a cell's reference (column letters, row number), in either quotes.
_ROW_NUMBER = re.compile(_PREFIX + rb"row\s[^>]*?\br\s*=\s*[\"']([^\"']*)[\"']")
_CELL_REFERENCE = re.compile(_PREFIX + rb"c\s[^>]*?\br\s*=\s*[\"']([^\"']*)[\"']")
_PLAIN_REFERENCE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,9})")
# A run of text MAX_TEXT_BYTES long, tried only where a run begins (linear time).
_LONG_TEXT = re.compile(rb"(?<![^<>])[^<>]{%d}" % MAX_TEXT_BYTES)
# No part of a workbook declares a DTD (entity expansion is a bomb of its own), and Excel
# writes no comments, CDATA or instructions inside a part: each could cut one long text into
# runs that a parser joins again.
_FORBIDDEN = re.compile(rb"<!|<\?")
# A string's bounds (shared or inline): its text may come in runs, measured together.
_STRING_BOUND = re.compile(rb"<(/?)(?:[^\s<>/:!?=]+:)?(?:si|is)(?=[\s>/])")
MAX_STRING_BYTES = 4 * MAX_TEXT_BYTES

_SHEET_TYPE = re.compile(rb"/relationships/worksheet$")
_SST_CONTENT = b"spreadsheetml.sharedStrings+xml"
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*["']([^"']*)["']""")
_ELEMENT = re.compile(rb"<(?:[^\s<>/:!?=]+:)?(?:Override|Relationship)\s[^>]*>")


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
    """A column's number from its letters in capitals (A: 1, AA: 27)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@dataclass
class _Counts:
    """What the parts read so far hold, against the limits."""

    limits: Limits
    shared_strings: int = 0
    rows: int = 0
    cells: int = 0

    def scan(self, text: bytes, kind: str) -> None:
        """Counts what ``text`` holds: whole tags only (the caller keeps a tag's start)."""
        if _LONG_TEXT.search(text):
            raise _too_large(_cell_too_long())
        if kind == "other":
            return
        self.shared_strings += len(_SHARED_STRING.findall(text))
        self.rows += len(_ROW.findall(text))
        self.cells += len(_CELL.findall(text))
        if self.shared_strings > MAX_SHARED_STRINGS:
            raise _too_large(_("over %(n)s different texts") % {"n": MAX_SHARED_STRINGS})
        if self.rows > self.limits.rows:
            raise _too_large(_("over %(n)s rows") % {"n": self.limits.rows})
        if self.cells > self.limits.cells:
            raise _too_large(_("over %(n)s cells") % {"n": self.limits.cells})
        if kind == "sheet":
            self._positions(text)

    def _positions(self, text: bytes) -> None:
        # A row numbered far past the last (the rows between are read as empty ones) or a
        # cell far to the right (its row is read out to it) is the cost of many rows.
        for number in _ROW_NUMBER.findall(text):
            if not number.isdigit() or int(number) > self.limits.rows:
                raise _too_large(_("over %(n)s rows") % {"n": self.limits.rows})
        for reference in _CELL_REFERENCE.findall(text):
            plain = _PLAIN_REFERENCE.fullmatch(reference)
            if plain is None:
                raise FileProblem("unreadable_file", _("A cell of the workbook has no place."))
            if _column_number(plain[1].upper()) > MAX_COLUMNS:
                raise _too_large(_("a column beyond column %(n)s") % {"n": MAX_COLUMNS})
            if int(plain[2]) > self.limits.rows:
                raise _too_large(_("over %(n)s rows") % {"n": self.limits.rows})


@dataclass
class _Part:
    """One part read through: its strings' lengths and elements measured across chunks."""

    counts: _Counts
    kind: str
    read: int = 0
    elements: int = 0
    string_from: int | None = None

    def scan(self, whole: bytes) -> None:
        declaration = 1 if self.read == 0 and whole.lstrip().startswith(b"<?xml") else 0
        if _FORBIDDEN.search(whole, whole.find(b"<") + declaration if declaration else 0):
            raise FileProblem(
                "unreadable_file", _("The workbook's XML holds declarations or comments.")
            )
        self.counts.scan(whole, self.kind)
        self.elements += whole.count(b"<")
        if self.kind == "other" and self.elements > MAX_OTHER_ELEMENTS:
            raise _too_large(_("over %(n)s elements in one part") % {"n": MAX_OTHER_ELEMENTS})
        for bound in _STRING_BOUND.finditer(whole):
            at = self.read + bound.start()
            if bound[1]:
                if self.string_from is not None and at - self.string_from > MAX_STRING_BYTES:
                    raise _too_large(_cell_too_long())
                self.string_from = None
            else:
                self.string_from = at
        self.read += len(whole)
        if self.string_from is not None and self.read - self.string_from > MAX_STRING_BYTES:
            raise _too_large(_cell_too_long())


def _opening(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as stream:
        return stream.read(64)


def _scan_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, part: _Part) -> None:
    carried = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            text = carried + chunk
            # From the last "<" on, the text is kept for the next chunk: a tag cut at the
            # chunk's end is counted whole, and a run of text is measured whole.
            cut = text.rfind(b"<")
            whole, carried = (b"", text) if cut == -1 else (text[:cut], text[cut:])
            part.scan(whole)
            if len(carried) > 2 * MAX_TEXT_BYTES:  # a tag and a run, one of them too long
                raise _too_large(_cell_too_long())
    part.scan(carried)


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        member = archive.getinfo(name)
    except KeyError:
        return b""
    if member.file_size > MAX_PACKAGE_PART_BYTES:
        raise _too_large(_("over %(n)s elements in one part") % {"n": MAX_OTHER_ELEMENTS})
    return archive.read(member)


def _attributes(element: bytes) -> dict[str, bytes]:
    return {k.decode().rpartition(":")[2]: v for k, v in _ATTRIBUTE.findall(element)}


def _package(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """The worksheets (the workbook's relationships' targets) and the tables of shared
    strings (by their content type), as openpyxl finds them."""
    strings = {
        attributes.get("PartName", b"").decode("utf-8", "replace").lstrip("/")
        for element in _ELEMENT.findall(_small_part(archive, "[Content_Types].xml"))
        if _SST_CONTENT in (attributes := _attributes(element)).get("ContentType", b"")
    }
    sheets = set()
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        folder = name.rpartition("_rels/")[0]
        for element in _ELEMENT.findall(_small_part(archive, name)):
            attributes = _attributes(element)
            if _SHEET_TYPE.search(attributes.get("Type", b"")):
                target = attributes.get("Target", b"").decode("utf-8", "replace")
                path = target.lstrip("/") if target.startswith("/") else folder + target
                sheets.add(posixpath.normpath(path))
    return sheets, strings


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
    sheets, strings = _package(archive)
    counts = _Counts(limits)
    for member in members:
        opening = _opening(archive, member)
        if opening.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in opening:
            raise FileProblem("unreadable_file", _("The workbook's XML is not UTF-8."))
        if not opening.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
            continue  # not XML (a picture): no XML parser reads it
        name = member.filename
        shared = name in strings or name.lower().endswith("sharedstrings.xml")
        if shared and member.file_size > MAX_SHARED_STRINGS_BYTES:
            limit = MAX_SHARED_STRINGS_BYTES // (1024 * 1024)
            raise _too_large(_("over %(n)s MB of text") % {"n": limit})
        kind = "sheet" if name in sheets else "strings" if shared else "other"
        _scan_part(archive, member, _Part(counts, kind))
