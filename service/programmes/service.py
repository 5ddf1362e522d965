from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.collation import collated
from service.kit.errors import Conflict, InvalidInput
from service.kit.i18n import _
from service.models.enrolments import Enrolment
from service.models.programmes import ObligationRule, ObligationRuleRegion, Programme
from service.programmes.schemas import (
    ObligationRuleCreate,
    ObligationRulePublic,
    ProgrammeCreate,
    ProgrammePublic,
    ProgrammeUpdate,
)
from service.reference.service import require_regions


async def rules_public(
    session: AsyncSession, programme_ids: Sequence[int]
) -> dict[int, list[ObligationRulePublic]]:
    """Rules of several programmes with their allowed regions, in two queries."""
    rules = (
        await session.exec(
            select(ObligationRule)
            .where(col(ObligationRule.programme_id).in_(programme_ids))
            .order_by(col(ObligationRule.programme_id), col(ObligationRule.cohort_from))
        )
    ).all()
    regions: dict[int, list[str]] = defaultdict(list)
    links = await session.exec(
        select(ObligationRuleRegion)
        .where(col(ObligationRuleRegion.rule_id).in_([r.id for r in rules]))
        .order_by(col(ObligationRuleRegion.region_code))
    )
    for link in links:
        regions[link.rule_id].append(link.region_code)
    result: dict[int, list[ObligationRulePublic]] = defaultdict(list)
    for rule in rules:
        assert rule.id is not None
        result[rule.programme_id].append(
            ObligationRulePublic.model_validate(rule, update={"allowed_regions": regions[rule.id]})
        )
    return result


async def programmes_public(
    session: AsyncSession, programmes: Sequence[Programme]
) -> list[ProgrammePublic]:
    rules = await rules_public(session, [p.id for p in programmes if p.id is not None])
    return [
        ProgrammePublic.model_validate(p, update={"rules": rules.get(p.id or 0, [])})
        for p in programmes
    ]


async def list_programmes(session: AsyncSession) -> list[ProgrammePublic]:
    programmes = (await session.exec(select(Programme).order_by(col(Programme.id)))).all()
    return await programmes_public(session, programmes)


async def create_programme(session: AsyncSession, data: ProgrammeCreate) -> Programme:
    taken = await session.exec(select(Programme.id).where(Programme.code == data.code))
    if taken.first() is not None:
        raise Conflict(_("Programme code %(code)s is taken.") % {"code": data.code})
    programme = Programme.model_validate(data)
    session.add(programme)
    await session.flush()
    return programme


async def update_programme(
    session: AsyncSession, programme: Programme, data: ProgrammeUpdate
) -> Programme:
    programme.sqlmodel_update(data.model_dump(exclude_unset=True, exclude_none=True))
    session.add(programme)
    await session.flush()
    return programme


async def _refuse_overlap(
    session: AsyncSession,
    programme_id: int,
    cohort_from: int,
    cohort_to: int | None,
    exclude_rule_id: int | None = None,
    field: str = "body.cohort_from",
) -> None:
    statement = select(ObligationRule).where(ObligationRule.programme_id == programme_id)
    for other in (await session.exec(statement)).all():
        if other.id == exclude_rule_id:
            continue
        other_to = other.cohort_to if other.cohort_to is not None else 10_000
        this_to = cohort_to if cohort_to is not None else 10_000
        if cohort_from <= other_to and other.cohort_from <= this_to:
            raise InvalidInput.field(
                field,
                _(
                    "Cohorts %(cohort_from)s-%(cohort_to_or)s overlap rule %(other_id)s "
                    "(%(other_cohort_from)s-%(other_cohort_to_or)s); close that rule first."
                )
                % {
                    "cohort_from": cohort_from,
                    "cohort_to_or": cohort_to or "…",
                    "other_id": other.id,
                    "other_cohort_from": other.cohort_from,
                    "other_cohort_to_or": other.cohort_to or "…",
                },
                "cohort_overlap",
            )


async def create_rule(
    session: AsyncSession, programme: Programme, data: ObligationRuleCreate
) -> ObligationRule:
    assert programme.id is not None
    await require_regions(session, data.allowed_regions, "body.allowed_regions")
    await _refuse_overlap(session, programme.id, data.cohort_from, data.cohort_to)
    rule = ObligationRule.model_validate(data, update={"programme_id": programme.id})
    session.add(rule)
    await session.flush()
    assert rule.id is not None
    session.add_all(
        ObligationRuleRegion(rule_id=rule.id, region_code=code)
        for code in sorted(set(data.allowed_regions))
    )
    await session.flush()
    return rule


async def close_rule(
    session: AsyncSession, programme: Programme, rule: ObligationRule, cohort_to: int
) -> ObligationRule:
    """Rules are versions: they are never rewritten, only closed so a newer one can follow."""
    rule_id = rule.id
    if cohort_to < rule.cohort_from:
        raise InvalidInput.field(
            "body.cohort_to", _("cohort_to must not be before cohort_from."), "cohort_range"
        )
    if rule.cohort_to is not None:
        raise Conflict(
            _(
                "Rule %(rule_id)s is already closed at cohort %(rule_cohort_to)s; rules are not "
                "rewritten."
            )
            % {"rule_id": rule_id, "rule_cohort_to": rule.cohort_to}
        )
    assert programme.id is not None
    await _refuse_overlap(
        session, programme.id, rule.cohort_from, cohort_to, rule.id, field="body.cohort_to"
    )
    stranded = await session.exec(
        select(func.max(Enrolment.cohort)).where(
            Enrolment.programme_id == programme.id, col(Enrolment.cohort) > cohort_to
        )
    )
    latest: int | None = stranded.one()
    if latest is not None:
        raise InvalidInput.field(
            "body.cohort_to",
            _("Cohort %(latest)s is enrolled under this rule; close it at %(latest)s or later.")
            % {"latest": latest},
            "cohort_enrolled",
        )
    rule.cohort_to = cohort_to
    session.add(rule)
    await session.flush()
    return rule


async def rule_for_cohort(
    session: AsyncSession, programme_id: int, cohort: int
) -> ObligationRule | None:
    statement = select(ObligationRule).where(
        ObligationRule.programme_id == programme_id,
        col(ObligationRule.cohort_from) <= cohort,
        (col(ObligationRule.cohort_to).is_(None)) | (col(ObligationRule.cohort_to) >= cohort),
    )
    return (await session.exec(statement)).first()


async def programme_choices(session: AsyncSession) -> list[tuple[int, str]]:
    """Every programme as (id, name), by name: a filter's choices."""
    statement: Any = select(Programme.id, Programme.name)
    return collated([(i, n) for i, n in await session.exec(statement)], lambda row: row[1])
