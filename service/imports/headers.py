"""The header row of an uploaded table: which row it is, and which field each column holds.

Spreadsheets kept by hand are decorated: a title above the table ("Список выпускников 2024
года"), blank rows, a logo, a group row over a two-level header. The header is the row among
the first few whose cells name the most known fields, in any of the languages and spellings an
alias lists; a group row above it lends the header the cells it leaves blank (a column merged
down across both rows holds its text in the upper row only).
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from service.kit.i18n import _

Cell = str | int | float | bool | date | datetime | None
# A row as read: its number as the user sees it, and its cells without trailing empty ones.
RawRow = tuple[int, tuple[Cell, ...]]

HEADER_SCAN = 20
EXPECTED_SHOWN = 5

_ENCLOSED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
# Russian writes ё, or leaves its dots off (escapes: the letters look like Latin ones).
_YO = str.maketrans({"\u0451": "\u0435"})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    aliases: tuple[str, ...]
    required: bool = False


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it was applied."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Header:
    row: int
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]


def normalise_header(text: str) -> str:
    """A header as compared: "Дата рождения (день, месяц, год)*" and "дата  рождения" are alike."""
    # NFKC composes a decomposed й or ё (as some Mac software writes them) and unifies spaces.
    text = unicodedata.normalize("NFKC", text).casefold().translate(_YO)
    text = _ENCLOSED.sub(" ", text)
    return _NOT_ALPHANUMERIC.sub(" ", text).strip()


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def trimmed(cells: Sequence[Cell]) -> tuple[Cell, ...]:
    """The cells without the empty ones at the end (a sheet formatted far to the right)."""
    end = len(cells)
    while end and is_blank(cells[end - 1]):
        end -= 1
    return tuple(cells[:end])


def header_text(value: Cell) -> str:
    return "" if value is None else str(value).strip()


def alias_lookup(fields: Sequence[FieldSpec]) -> dict[str, str]:
    """Normalised alias -> field name; an alias two fields share goes to the first."""
    lookup: dict[str, str] = {}
    for spec in fields:
        for alias in spec.aliases:
            lookup.setdefault(normalise_header(alias), spec.name)
    return lookup


def _field(value: Cell, lookup: dict[str, str]) -> str | None:
    text = header_text(value)
    return lookup.get(normalise_header(text)) if text else None


def _score(cells: Sequence[Cell], lookup: dict[str, str]) -> int:
    return sum(1 for cell in cells if _field(cell, lookup) is not None)


def _two_level(
    upper: Sequence[Cell], lower: Sequence[Cell], lookup: dict[str, str]
) -> list[Cell] | None:
    """Two rows read as one header: a column merged down both holds its text in the upper
    row, a group's columns are named in the lower. None when the lower row has a cell under
    an upper one that names a field: it is a row of data."""
    cells: list[Cell] = []
    for i in range(max(len(upper), len(lower))):
        top = upper[i] if i < len(upper) else None
        bottom = lower[i] if i < len(lower) else None
        if _field(top, lookup) is not None:
            if not is_blank(bottom):
                return None
            cells.append(top)
        else:
            cells.append(top if is_blank(bottom) else bottom)
    return cells


def best_score(rows: Sequence[RawRow], fields: Sequence[FieldSpec]) -> int:
    """How many columns the likeliest header row names (to choose a CSV's delimiter)."""
    lookup = alias_lookup(fields)
    return max((_score(cells, lookup) for _, cells in rows[:HEADER_SCAN]), default=0)


def locate_header(rows: Sequence[RawRow], fields: Sequence[FieldSpec]) -> tuple[int, Header]:
    """The header among the first non-blank ``rows``: its position in ``rows`` and what its
    columns mean. Raises ``FileProblem`` when no row names enough fields, or one field twice."""
    lookup = alias_lookup(fields)
    scan = list(rows[:HEADER_SCAN])
    scores = [_score(cells, lookup) for _, cells in scan]
    needed = min(2, len(fields))
    if not scan or max(scores) < needed:
        raise _no_header(fields)
    best = scores.index(max(scores))
    position, cells = best, list(scan[best][1])
    # A two-level header: the row with the most names and its neighbour, read as one,
    # name more columns than the row alone (the lower row holds the data's header).
    for upper in (best - 1, best):
        if upper < 0 or upper + 1 >= len(scan):
            continue
        merged = _two_level(scan[upper][1], scan[upper + 1][1], lookup)
        if merged is not None and _score(merged, lookup) > _score(cells, lookup):
            position, cells = upper + 1, merged
    return position, _header(scan[position][0], trimmed(cells), fields, lookup)


def _header(
    row: int, cells: Sequence[Cell], fields: Sequence[FieldSpec], lookup: dict[str, str]
) -> Header:
    headers = tuple(header_text(c) for c in cells)
    found = tuple(_field(c, lookup) for c in cells)
    seen: dict[str, str] = {}
    for text, name in zip(headers, found, strict=True):
        if name is None:
            continue
        if name in seen:
            message = _(
                'The columns "%(first)s" and "%(second)s" hold the same thing; '
                "keep one of them and upload the file again."
            ) % {"first": seen[name], "second": text}
            raise FileProblem("duplicate_column", message)
        seen[name] = text
    return Header(
        row=row,
        headers=headers,
        fields=found,
        unknown=tuple(t for t, name in zip(headers, found, strict=True) if t and name is None),
        missing=tuple(f.name for f in fields if f.required and f.name not in seen),
    )


def _no_header(fields: Sequence[FieldSpec]) -> FileProblem:
    ordered = [f for f in fields if f.required] + [f for f in fields if not f.required]
    shown = [f'"{f.aliases[0]}"' for f in ordered if f.aliases][:EXPECTED_SHOWN]
    expected = ", ".join(shown)
    message = _(
        "No header row was found in the first %(rows)s rows of the file; "
        "expected columns such as %(expected)s."
    ) % {"rows": HEADER_SCAN, "expected": expected}
    return FileProblem("no_header", message)
