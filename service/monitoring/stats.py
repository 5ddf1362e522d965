"""Statistics for the Financial Center, grouped by institution, region, programme or cohort.

Without ``as_of`` they come from the stored evaluations (kept current by every change and
the daily rescan): a few GROUP BY queries, whatever the scale. With ``as_of`` the scope is
evaluated afresh as of that date, in batches; for the whole country that is the rescan's
job (``rescan --as-of``), so a live request is limited to ``LIVE_LIMIT`` graduates.
"""

from collections import Counter, defaultdict
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import EnrolmentStatus, Severity
from service.kit.errors import Forbidden, InvalidInput
from service.kit.i18n import _, current_locale
from service.models.employment import Employment
from service.models.enrolments import Enrolment
from service.models.obligations import Obligation
from service.models.organisations import Institution
from service.models.programmes import Programme
from service.models.reference import Region
from service.models.risks import RiskFlag
from service.obligations.ledger import month_start
from service.obligations.loader import load_facts
from service.risks.evaluate import evaluate_student
from service.risks.service import load_context

LIVE_LIMIT = 50_000
STATUSES = ("pending_start", "serving", "suspended", "completed", "released", "breached")


class GroupBy(StrEnum):
    institution = "institution"
    region = "region"
    """The institution's region: where the graduates studied."""
    present_region = "present_region"
    """Where the graduates work on the evaluation date, or live when not working."""
    programme = "programme"
    cohort = "cohort"


class StatsGroup(BaseModel):
    key: str
    name: str = Field(default="", description="What the key names, for a person to read.")
    graduates: int
    started_on_time: int = Field(description="First credited month no later than the deadline.")
    by_status: dict[str, int]
    employed: int = Field(description="Working on the evaluation date.")
    employment_rate: float
    risks: dict[str, int] = Field(description="Risk flags by code.")


class Stats(BaseModel):
    as_of: date | None
    source: str = Field(description="`stored` evaluations or a `live` evaluation as of the date.")
    group_by: GroupBy
    groups: list[StatsGroup]


def institution_in_view(principal: Principal, requested: int | None) -> int | None:
    """Whose figures a principal reads: the Financial Center and admins any institution's (or
    all, given none); a career centre its own graduates', whatever it asks for, as it reads
    their risks (``risks.service.readable_by``)."""
    if principal.sees_everything:
        return requested
    if principal.institution_id is None:
        raise Forbidden(
            _("Only staff of an institution or of the Financial Center read statistics.")
        )
    return principal.institution_id


_OBLIGATION_KEY = {
    GroupBy.institution: Obligation.institution_id,
    GroupBy.region: Obligation.region_code,
    GroupBy.present_region: Obligation.present_region_code,
    GroupBy.programme: Obligation.programme_id,
    GroupBy.cohort: Obligation.cohort,
}
_FLAG_KEY = {
    GroupBy.institution: RiskFlag.institution_id,
    GroupBy.region: RiskFlag.region_code,
    GroupBy.present_region: RiskFlag.present_region_code,
    GroupBy.programme: RiskFlag.programme_id,
    GroupBy.cohort: RiskFlag.cohort,
}


def _group(
    key: str,
    graduates: int,
    on_time: int,
    statuses: dict[str, int],
    employed: int,
    risks: dict[str, int],
) -> StatsGroup:
    return StatsGroup(
        key=key,
        graduates=graduates,
        started_on_time=on_time,
        by_status={s: statuses.get(s, 0) for s in STATUSES},
        employed=employed,
        employment_rate=round(employed / graduates, 4) if graduates else 0.0,
        risks=risks,
    )


async def stored(session: AsyncSession, group_by: GroupBy, institution_id: int | None) -> Stats:
    key: Any = _OBLIGATION_KEY[group_by]
    on_time = sa.case((col(Obligation.started_on) <= col(Obligation.start_deadline), 1), else_=0)
    working = sa.exists(
        select(Employment.id).where(
            Employment.student_id == Obligation.student_id,
            col(Employment.start_date) <= Obligation.as_of,
            col(Employment.end_date).is_(None) | (col(Employment.end_date) >= Obligation.as_of),
        )
    )
    statement: Any = sa.select(
        key,
        col(Obligation.status),
        func.count(),
        func.sum(on_time),
        func.sum(sa.case((working, 1), else_=0)),
    ).group_by(key, col(Obligation.status))
    # Reminders (severity info) are not risks.
    flags: Any = select(_FLAG_KEY[group_by], RiskFlag.code, func.count()).where(
        RiskFlag.severity != Severity.info
    )
    if institution_id is not None:
        statement = statement.where(Obligation.institution_id == institution_id)
        flags = flags.where(RiskFlag.institution_id == institution_id)
    rows = await session.exec(statement)
    groups: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"graduates": 0, "on_time": 0, "statuses": {}, "employed": 0}
    )
    for group_key, status, count, on_time_count, employed in rows:
        g = groups[str(group_key)]
        g["graduates"] += count
        g["on_time"] += int(on_time_count or 0)
        g["employed"] += int(employed or 0)
        g["statuses"][status] = count
    flag_key: Any = _FLAG_KEY[group_by]
    risks: dict[str, dict[str, int]] = defaultdict(dict)
    for group_key, code, count in await session.exec(flags.group_by(flag_key, col(RiskFlag.code))):
        risks[str(group_key)][code] = count
    as_of = (await session.exec(select(func.max(Obligation.as_of)))).one()
    return Stats(
        as_of=as_of,
        source="stored",
        group_by=group_by,
        groups=[
            _group(k, g["graduates"], g["on_time"], g["statuses"], g["employed"], risks.get(k, {}))
            for k, g in sorted(groups.items())
        ],
    )


async def named(session: AsyncSession, stats: Stats) -> Stats:
    """The groups with the names of what their keys identify (a region's in the reader's
    language)."""
    region_name = {"kk": Region.name_kk, "ru": Region.name_ru}.get(
        current_locale.get(), Region.name_en
    )
    table: Any = {
        GroupBy.institution: sa.select(col(Institution.id), col(Institution.name)),
        GroupBy.region: sa.select(col(Region.code), col(region_name)),
        GroupBy.present_region: sa.select(col(Region.code), col(region_name)),
        GroupBy.programme: sa.select(col(Programme.id), col(Programme.name)),
    }.get(stats.group_by)
    names: dict[str, str] = {}
    if table is not None:
        rows = (await (await session.connection()).execute(table)).all()
        names = {str(k): v for k, v in rows}
    for group in stats.groups:
        cohort = _("%(year)s cohort") % {"year": group.key}
        group.name = names.get(group.key, cohort if stats.group_by == GroupBy.cohort else group.key)
        if group.key == "None":  # where a graduate is, when nothing recorded says
            group.name = _("Not recorded")
    return stats


async def live(
    session: AsyncSession, group_by: GroupBy, as_of: date, institution_id: int | None
) -> Stats:
    statement = (
        select(Enrolment.student_id)
        .distinct()
        .where(
            Enrolment.status == EnrolmentStatus.graduated, col(Enrolment.graduation_date) <= as_of
        )
    )
    if institution_id is not None:
        statement = statement.where(Enrolment.institution_id == institution_id)
    ids = list((await session.exec(statement.limit(LIVE_LIMIT + 1))).all())
    if len(ids) > LIVE_LIMIT:
        raise InvalidInput.field(
            "query.as_of",
            _(
                "More than %(live_limit)s graduates: narrow by institution_id, or run `rescan "
                "--as-of` and read the stored figures."
            )
            % {"live_limit": LIVE_LIMIT},
            "scope_too_large",
        )
    context = await load_context(session)
    regions = dict((await session.exec(select(Institution.id, Institution.region_code))).all())
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    risks: dict[str, Counter[str]] = defaultdict(Counter)
    for start in range(0, len(ids), 1000):
        facts = await load_facts(session, ids[start : start + 1000], context.names)
        for f in facts.values():
            result = evaluate_student(f, context, as_of)
            for o in result.obligations:
                e = o.enrolment
                key = str(
                    {
                        GroupBy.institution: e.institution_id,
                        GroupBy.region: regions.get(e.institution_id),
                        GroupBy.present_region: f.present_region(as_of),
                        GroupBy.programme: e.programme_id,
                        GroupBy.cohort: e.cohort,
                    }[group_by]
                )
                c = counts[key]
                c["graduates"] += 1
                c[o.status.value] += 1
                c["on_time"] += bool(
                    o.started_on and o.started_on <= month_start(o.terms.start_deadline)
                )
                c["employed"] += any(
                    j.start <= as_of and (j.end is None or as_of <= j.end) for j in f.jobs
                )
                if f.current_enrolment and f.current_enrolment.id == e.id:
                    risks[key].update(
                        flag.code for flag, _ in result.flags if flag.severity != Severity.info
                    )
    return Stats(
        as_of=as_of,
        source="live",
        group_by=group_by,
        groups=[
            _group(
                k,
                c["graduates"],
                c["on_time"],
                {s: c[s] for s in STATUSES},
                c["employed"],
                dict(sorted(risks[k].items())),
            )
            for k, c in sorted(counts.items())
        ],
    )
