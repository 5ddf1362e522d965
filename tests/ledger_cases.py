"""Plain facts for ledger tests: the host regions, the terms, a job, the months of a ledger."""

from datetime import date

from service.obligations.ledger import (
    Job,
    Pause,
    Terms,
    build_ledger,
)

HOST = frozenset({"KZ-59", "KZ-55"})


TERMS = Terms(
    required_months=24,
    allowed_regions=HOST,
    rural_only=False,
    credit_part_time=False,
    start_deadline=date(2024, 9, 1),
)


def job(
    start: str,
    end: str | None = None,
    *,
    jid: int = 1,
    region: str = "KZ-59",
    rural: bool = True,
    full_time: bool = True,
    verified: bool = True,
) -> Job:
    return Job(
        id=jid,
        employer_name=f"Employer {jid}",
        region_code=region,
        region_name={"KZ-59": "North Kazakhstan Region", "KZ-75": "Almaty"}.get(region, region),
        rural=rural,
        full_time=full_time,
        verified=verified,
        start=date.fromisoformat(start),
        end=date.fromisoformat(end) if end else None,
    )


def months(
    jobs: list[Job],
    as_of: str,
    *,
    pauses: tuple[Pause, ...] = (),
    graduation: str = "2024-06-28",
    terms: Terms = TERMS,
    **kw: object,
) -> dict[str, tuple]:
    ledger = build_ledger(
        date.fromisoformat(graduation), terms, jobs, list(pauses), date.fromisoformat(as_of), **kw
    )  # type: ignore[arg-type]
    return {f"{m.month:%Y-%m}": (m.outcome, m.reason, m.qualifying_days) for m in ledger.months}
