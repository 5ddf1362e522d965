"""The stored evaluations: each student's obligations and risk flags, written as rows so that
lists, statistics and exports read them at national scale.

``refresh_students`` runs in the unit of work of every change (``evaluations.hook``), and the
rescan runs it over everyone in batches, since time passes even when nobody writes.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.bulk import copy_rows
from service.kit.sql import any_of
from service.models.obligations import Obligation
from service.models.risks import RiskFlag
from service.obligations.engine import ObligationResult
from service.obligations.loader import load_facts
from service.risks.evaluate import Context, evaluate_student
from service.risks.service import flag_row, load_context

BATCH = 1000
"""Students evaluated together: their facts stay in memory a batch at a time."""

_OBLIGATIONS: Any = Obligation.__table__  # type: ignore[attr-defined]
_FLAGS: Any = RiskFlag.__table__  # type: ignore[attr-defined]


def _obligation_row(
    o: ObligationResult, student_id: int, now: datetime, present_region: str | None
) -> dict[str, Any]:
    e = o.enrolment
    assert e.graduation is not None
    return {
        "enrolment_id": e.id,
        "student_id": student_id,
        "institution_id": e.institution_id,
        "programme_id": e.programme_id,
        "cohort": e.cohort,
        "region_code": e.institution_region,
        "present_region_code": present_region,
        "graduation_date": e.graduation,
        "status": o.status.value,
        "required_months": o.terms.required_months,
        "credited_months": o.credited,
        "verified_months": o.verified,
        "suspended_months": o.suspended,
        "months_left": o.months_left,
        "start_deadline": o.terms.start_deadline,
        "started_on": o.started_on,
        "projected_completion": o.projected_completion,
        "total_grant_cost": o.total_grant_cost,
        "repayment_amount": o.repayment.amount,
        "repayment_on_hold": o.repayment_on_hold,
        "as_of": o.as_of,
        "evaluated_at": now,
    }


async def _refresh_batch(
    session: AsyncSession, ids: list[int], as_of: date, context: Context, now: datetime
) -> int:
    facts = await load_facts(session, ids, context.names)
    obligations, flags = [], []
    for student_id, f in facts.items():
        result = evaluate_student(f, context, as_of)
        present = f.present_region(as_of)
        obligations += [_obligation_row(o, student_id, now, present) for o in result.obligations]
        flags += [flag_row(student_id, flag, e, as_of, present) for flag, e in result.flags]
    for table in (_FLAGS, _OBLIGATIONS):
        await session.exec(sa.delete(table).where(any_of(table.c.student_id, ids)))
    # COPY on PostgreSQL: an import's commit and the rescan write thousands of rows at once.
    connection = await session.connection()
    await copy_rows(connection, _OBLIGATIONS, obligations)
    await copy_rows(connection, _FLAGS, flags)
    return len(flags)


async def refresh_students(
    session: AsyncSession,
    student_ids: Sequence[int],
    as_of: date | None = None,
    context: Context | None = None,
) -> int:
    """Recompute and store the obligations and flags of these students, a batch at a time;
    returns the flags stored."""
    if not student_ids:
        return 0
    as_of = as_of or date.today()
    context = context or await load_context(session)
    now = datetime.now(UTC)
    ids = list(student_ids)
    flags = 0
    for start in range(0, len(ids), BATCH):
        flags += await _refresh_batch(session, ids[start : start + BATCH], as_of, context, now)
    return flags
