"""Every row's result of an import, kept small: a 100,000-row file's report is its JSON, a
chunk of rows at a time, not 100,000 objects.

Kept as objects: the refused rows (their problems make the 422 of a commit and the head of
the workspace's table) and the first ``KEPT_PASSED`` rows that passed (the rest of that
table). Every other row that passed is kept as a range of row numbers.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import TypeAdapter

from service.imports.schemas import RowOutcome, RowResult
from service.kit.config import get_settings
from service.kit.errors import InvalidInput
from service.kit.i18n import _

KEPT_PASSED = 500
WRITTEN = frozenset({RowOutcome.created, RowOutcome.updated, RowOutcome.unchanged})
_ROWS = TypeAdapter(list[RowResult])
# Row numbers of at most seven digits (a file holds at most a million rows).
_RANGES = re.compile(
    r"\s*[0-9]{1,7}(\s*-\s*[0-9]{1,7})?\s*(,\s*[0-9]{1,7}(\s*-\s*[0-9]{1,7})?\s*)*"
)


@dataclass
class Results:
    counts: dict[RowOutcome, int] = field(default_factory=lambda: dict.fromkeys(RowOutcome, 0))
    refused: list[RowResult] = field(default_factory=list)
    passed: list[RowResult] = field(default_factory=list)
    """The first rows that passed or were skipped (at most ``KEPT_PASSED``)."""
    more_passed: list[list[int]] = field(default_factory=list)
    """The other rows that passed, as ``[first, last]`` ranges (skipped ones left out)."""
    student_ids: set[int] = field(default_factory=set)
    """Every student a row wrote or found unchanged."""
    _json: list[bytes] = field(default_factory=list, repr=False)

    def add(self, group: list[RowResult]) -> None:
        """The results of rows that follow every row added before (in any order)."""
        group.sort(key=lambda r: r.row)
        if group:
            self._json.append(_ROWS.dump_json(group)[1:-1])
        for result in group:
            self.counts[result.outcome] += 1
            if result.student_id is not None and result.outcome in WRITTEN:
                self.student_ids.add(result.student_id)
            if result.outcome == RowOutcome.refused:
                self.refused.append(result)
            elif len(self.passed) < KEPT_PASSED:
                self.passed.append(result)  # a skipped row too: it may be chosen again
            elif result.outcome == RowOutcome.skipped:
                continue
            elif self.more_passed and self.more_passed[-1][1] == result.row - 1:
                self.more_passed[-1][1] = result.row
            else:
                self.more_passed.append([result.row, result.row])

    def __len__(self) -> int:
        return sum(self.counts.values())

    def json(self) -> Iterator[bytes]:
        """The JSON array of every row's result, in row order, a chunk at a time."""
        yield b"["
        for number, chunk in enumerate(self._json):
            yield b"," + chunk if number else chunk
        yield b"]"

    def more_passed_text(self) -> str:
        """The rows beyond ``passed`` that passed, as a commit takes them: ``5-100,102``."""
        return ",".join(f"{a}-{b}" if b > a else str(a) for a, b in self.more_passed)

    def more_passed_count(self) -> int:
        return sum(b - a + 1 for a, b in self.more_passed)


def chosen_rows(text: str | None) -> set[int] | None:
    """``"2-40, 45"``: the rows a commit applies (none given: every row)."""
    if text is None or not text.strip():
        return None
    if not _RANGES.fullmatch(text):
        raise InvalidInput.field(
            "body.rows", _("List row numbers and ranges, such as 2-40, 45."), "rows_format"
        )
    limit = get_settings().import_max_rows + 100
    found: set[int] = set()
    for part in text.split(","):
        low, _sep, high = part.partition("-")
        first, last = int(low), int(high or low)
        if last < first or last - first > limit or len(found) > limit:
            raise InvalidInput.field(
                "body.rows", _("The row ranges are out of order or too long."), "rows_format"
            )
        found.update(range(first, last + 1))
    return found
