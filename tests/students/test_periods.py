"""One record at a time: permanent registrations, housing arrangements and suspensions may
not overlap (one permanent residence, one home, one reason for a paused month). The rule is
one helper beside ``periods_overlap``; it is tested here for each kind it guards."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from service.students.periods import periods_overlap
from tests.factories import housing_body, patch_json, registration_body, suspension_body
from tests.records import add, listed, make_owner, read, url
from tests.support import only_error

Period = tuple[str, str | None]


@dataclass(frozen=True)
class Guarded:
    path: str
    code: str
    first: Callable[[Period], dict[str, Any]]
    second: Callable[[Period], dict[str, Any]]
    overlaps: list[tuple[Period, Period]]
    follows: tuple[Period, Period]
    """Two periods that do not overlap, the second after the first."""
    hands_over: list[tuple[Period, Period]]
    """Periods that meet on one day: one ends the day the other starts."""


GUARDED = [
    Guarded(
        path="registrations",
        code="permanent_overlap",
        first=lambda p: registration_body(start_date=p[0], end_date=p[1]),
        second=lambda p: registration_body(address="Lenin St 1", start_date=p[0], end_date=p[1]),
        overlaps=[
            (("2024-08-20", None), ("2025-01-01", None)),
            (("2024-08-20", None), ("2020-01-01", "2024-08-21")),
            (("2024-08-20", "2024-12-31"), ("2024-12-30", None)),
            (("2024-08-20", "2024-12-31"), ("2024-01-01", "2025-06-30")),
            (("2024-08-20", "2024-12-31"), ("2024-09-01", "2024-09-30")),
            (("2024-08-20", "2024-12-31"), ("2024-08-20", "2024-08-20")),
        ],
        follows=(("2024-08-20", "2024-12-31"), ("2025-01-01", None)),
        hands_over=[
            (("2024-08-20", "2024-12-31"), ("2024-12-31", None)),
            (("2024-08-20", None), ("2020-01-01", "2024-08-20")),
        ],
    ),
    Guarded(
        path="housing",
        code="housing_overlap",
        first=lambda p: housing_body(kind="dormitory", start_date=p[0], end_date=p[1]),
        second=lambda p: housing_body(start_date=p[0], end_date=p[1]),
        overlaps=[
            (("2020-09-01", None), ("2024-08-20", None)),
            (("2020-09-01", "2024-06-30"), ("2024-06-29", None)),
            (("2020-09-01", "2024-06-30"), ("2019-09-01", "2020-09-02")),
            (("2024-08-20", None), ("2024-01-01", "2024-12-31")),
        ],
        follows=(("2020-09-01", "2024-06-30"), ("2024-08-20", None)),
        hands_over=[
            # Out of the dormitory and into a flat on the same day.
            (("2020-09-01", "2024-06-30"), ("2024-06-30", None)),
            (("2020-09-01", "2024-06-30"), ("2019-09-01", "2020-09-01")),
        ],
    ),
    Guarded(
        path="suspensions",
        code="suspension_overlap",
        first=lambda p: suspension_body(start_date=p[0], end_date=p[1]),
        second=lambda p: suspension_body(reason="child_care", start_date=p[0], end_date=p[1]),
        overlaps=[
            (("2025-01-10", "2026-01-09"), ("2025-06-01", "2025-07-01")),
            (("2025-01-10", "2026-01-09"), ("2026-01-08", None)),
            (("2025-01-10", "2026-01-09"), ("2024-01-01", "2025-01-11")),
            (("2025-01-10", None), ("2030-01-01", "2030-02-01")),
            (("2025-01-10", "2026-01-09"), ("2024-01-01", None)),
        ],
        follows=(("2025-01-10", "2026-01-09"), ("2026-01-10", None)),
        hands_over=[
            (("2025-01-10", "2026-01-09"), ("2026-01-09", None)),
            (("2025-01-10", "2026-01-09"), ("2024-01-01", "2025-01-10")),
        ],
    ),
]
OVERLAPS = [(g, existing, new) for g in GUARDED for existing, new in g.overlaps]
HAND_OVERS = [(g, existing, new) for g in GUARDED for existing, new in g.hands_over]


@pytest.mark.parametrize(
    ("guarded", "existing", "new"),
    OVERLAPS,
    ids=[f"{g.path}-{e[0]}..{e[1]}-{n[0]}..{n[1]}" for g, e, n in OVERLAPS],
)
async def test_an_overlapping_period_is_refused(
    client: httpx.AsyncClient, guarded: Guarded, existing: Period, new: Period
) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, guarded.path, guarded.first(existing))
    response = await client.post(url(owner, guarded.path), json=guarded.second(new))
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", guarded.code)
    assert str(first["id"]) in response.json()["errors"][0]["message"]
    assert await listed(client, owner, guarded.path) == [first["id"]]


@pytest.mark.parametrize(
    ("guarded", "existing", "new"),
    HAND_OVERS,
    ids=[f"{g.path}-{e[0]}..{e[1]}-{n[0]}..{n[1]}" for g, e, n in HAND_OVERS],
)
async def test_a_same_day_hand_over_is_no_overlap(
    client: httpx.AsyncClient, guarded: Guarded, existing: Period, new: Period
) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, guarded.path, guarded.first(existing))
    second = await add(client, owner, guarded.path, guarded.second(new))
    assert sorted(await listed(client, owner, guarded.path)) == sorted([first["id"], second["id"]])


@pytest.mark.parametrize("guarded", GUARDED, ids=[g.path for g in GUARDED])
async def test_one_period_after_another_is_accepted(
    client: httpx.AsyncClient, guarded: Guarded
) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, guarded.path, guarded.first(guarded.follows[0]))
    second = await add(client, owner, guarded.path, guarded.second(guarded.follows[1]))
    assert await listed(client, owner, guarded.path) == [first["id"], second["id"]]


@pytest.mark.parametrize("guarded", GUARDED, ids=[g.path for g in GUARDED])
async def test_a_correction_into_an_overlap_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, guarded: Guarded
) -> None:
    owner = await make_owner(client)
    first = await add(client, owner, guarded.path, guarded.first(guarded.follows[0]))
    second = await add(client, owner, guarded.path, guarded.second(guarded.follows[1]))
    response = await patch_json(
        client, url(owner, guarded.path, second["id"]), {"start_date": guarded.follows[0][0]}
    )
    assert response.status_code == 422
    assert only_error(response) == ("body.start_date", guarded.code)
    assert await read(client, owner, guarded.path, second["id"]) == second
    assert await read(client, owner, guarded.path, first["id"]) == first


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((1, 10), (11, 20), False),
        ((1, 10), (10, 20), False),  # a hand-over on day 10
        ((1, 10), (9, 20), True),
        ((1, 1), (1, 5), True),  # the same first day
        ((3, None), (1, 3), False),
        ((1, None), (100, 200), True),
        ((5, 6), (1, None), True),
        ((5, 6), (1, 4), False),
    ],
)
def test_periods_overlap(
    a: tuple[int, int | None], b: tuple[int, int | None], overlap: bool
) -> None:
    def day(n: int | None) -> date | None:
        return None if n is None else date(2025, 1, 1) + timedelta(days=n)

    a_start, b_start = day(a[0]), day(b[0])
    assert a_start is not None
    assert b_start is not None
    assert periods_overlap(a_start, day(a[1]), b_start, day(b[1])) is overlap
    assert periods_overlap(b_start, day(b[1]), a_start, day(a[1])) is overlap
