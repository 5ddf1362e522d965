"""An import's report at the size of a real file: every row's result in row order, across
chunks, kept as JSON a chunk at a time; the rows beyond the workspace's table as ranges."""

import json
from datetime import date, timedelta

import httpx
import pytest

from service.enums import Sex
from service.imports import results as results_module
from service.imports.results import Results, chosen_rows
from service.imports.schemas import RowOutcome, RowResult
from service.reference.identifiers import make_iin
from tests.imports.support import HEADER, csv_file, graduate, own_graduate, send
from tests.support import MakeUser


def _result(row: int, outcome: RowOutcome) -> RowResult:
    errors = (
        []
        if outcome != RowOutcome.refused
        else [{"column": "IIN", "field": "iin", "code": "iin_invalid", "message": "bad"}]
    )
    return RowResult.model_validate({"row": row, "outcome": outcome, "errors": errors})


def test_results_keep_rows_in_order_and_the_rest_as_ranges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(results_module, "KEPT_PASSED", 2)
    kept = Results()
    created, skipped, refused = RowOutcome.created, RowOutcome.skipped, RowOutcome.refused
    # Each group as a chunk gives it: the skipped rows first, then the chunk's rows.
    kept.add([_result(3, skipped), _result(2, created), _result(4, created)])
    kept.add([_result(5, created), _result(6, refused), _result(7, created)])
    kept.add([_result(9, skipped), _result(8, created), _result(10, created)])
    kept.add([])
    rows = json.loads(b"".join(kept.json()))
    assert [r["row"] for r in rows] == list(range(2, 11))
    assert [r["outcome"] for r in rows][:3] == ["created", "skipped", "created"]
    assert rows[4]["errors"][0]["code"] == "iin_invalid"
    assert len(kept) == 9
    assert kept.counts[created] == 6
    assert kept.counts[skipped] == 2
    assert [r.row for r in kept.refused] == [6]
    # The first rows kept whole, a skipped one too; beyond them, the rows that passed.
    assert [(r.row, r.outcome) for r in kept.passed] == [(2, created), (3, skipped)]
    assert kept.more_passed_text() == "4-5,7-8,10"
    assert kept.more_passed_count() == 5
    assert chosen_rows(kept.more_passed_text()) == {4, 5, 7, 8, 10}


def test_no_rows_is_an_empty_array() -> None:
    assert json.loads(b"".join(Results().json())) == []


def _iins(count: int) -> list[str]:
    found: list[str] = []
    serial = 0
    while len(found) < count:
        serial += 1
        birth = date(2001, 1, 1) + timedelta(days=serial % 3000)
        if iin := make_iin(birth, Sex.female, 500 + serial // 3000):
            found.append(iin)
    return found


async def test_a_file_of_several_chunks_reports_every_row_in_order(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    _, headers = await own_graduate(client, make_user)
    count = 2300  # three chunks of rows
    bad = {2 + n for n in range(count) if n % 700 == 699}
    lines = [
        graduate(iin, "lots" if 2 + n in bad else "800000") for n, iin in enumerate(_iins(count))
    ]
    preview = await send(client, headers, "graduates", csv_file(HEADER, *lines))
    assert preview.status_code == 200, preview.text
    report = preview.json()
    assert report["rows"] == count
    assert report["refused"] == len(bad) == 3
    assert [r["row"] for r in report["results"]] == list(range(2, count + 2))
    refused = {r["row"] for r in report["results"] if r["outcome"] == "refused"}
    assert refused == bad
    # A commit of rows across every chunk, skipping the bad ones and a few others.
    first, second, third = sorted(bad)
    chosen = f"2-{first - 1},{first + 1}-{second - 1},{second + 1}-1500,1600-{third - 1}"
    done = await send(
        client, headers, "graduates", csv_file(HEADER, *lines), dry_run=False, rows=chosen
    )
    assert done.status_code == 200, done.text
    committed = done.json()
    assert committed["applied"] is True
    assert [r["row"] for r in committed["results"]] == list(range(2, count + 2))
    skipped = {r["row"] for r in committed["results"] if r["outcome"] == "skipped"}
    assert skipped == set(range(2, count + 2)) - chosen_rows(chosen)  # type: ignore[operator]
    assert committed["created"] == count - len(skipped)
