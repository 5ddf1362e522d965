"""Load the demo data: bulk inserts of table models built from validated request schemas.

``load_demo_data`` only flushes. ``load_demo_data_into`` is the whole job for a command line:
its own engine and one unit of work.
"""

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.demo.breaches import record_breaches
from service.demo.catalogue import DEMO_MARKER_BIN, employers, institutions
from service.demo.generator import DemoGenerator, StudentPlan
from service.demo.users import add_demo_users
from service.enrolments.service import initial_history
from service.kit.db import create_engine_for
from service.kit.unit_of_work import unit_of_work
from service.models.employment import Employment
from service.models.enrolments import Enrolment
from service.models.housing import HousingArrangement, HousingSupportApplication
from service.models.obligations import ReleaseDecision, Suspension
from service.models.organisations import Employer, Institution
from service.models.residence import ResidenceRegistration
from service.models.students import Student
from service.obligations.schemas import ReleaseDecisionCreate

DEFAULT_SEED = 2050


class DemoSummary(BaseModel):
    """Rows this call inserted, per table; all zero when the demo data was already there."""

    created: bool
    institution: int = 0
    employer: int = 0
    student: int = 0
    enrolment: int = 0
    enrolment_status_change: int = 0
    employment: int = 0
    residence_registration: int = 0
    housing_arrangement: int = 0
    housing_support_application: int = 0
    suspension: int = 0
    release_decision: int = 0
    breach_notice: int = 0
    breach_decision: int = 0
    app_user: int = 0

    @property
    def total(self) -> int:
        return sum(v for k, v in self.model_dump().items() if k != "created")


async def demo_data_present(session: AsyncSession) -> bool:
    """The demo institutions never depend on the seed, so the first one's BIN tells."""
    found = await session.exec(select(Institution.id).where(Institution.bin == DEMO_MARKER_BIN))
    return found.first() is not None


def _id(row: Any) -> int:
    assert row.id is not None, "flush first"
    return int(row.id)


async def _insert(session: AsyncSession, rows: Sequence[SQLModel]) -> None:
    session.add_all(rows)
    await session.flush()


def _owned_rows(plan: StudentPlan, student_id: int, enrolment_id: int) -> list[SQLModel]:
    """The records a student owns, as table models (the API's create step, without queries)."""
    owner = {"student_id": student_id}
    rows: list[SQLModel] = []
    rows += [
        Employment.model_validate(job, update=owner | {"verified": verified})
        for job, verified in plan.employments
    ]
    rows += [ResidenceRegistration.model_validate(g, update=owner) for g in plan.registrations]
    rows += [HousingArrangement.model_validate(h, update=owner) for h in plan.housing]
    rows += [HousingSupportApplication.model_validate(a, update=owner) for a in plan.applications]
    rows += [Suspension.model_validate(s, update=owner) for s in plan.suspensions]
    if plan.release is not None:
        decision = ReleaseDecisionCreate.model_validate(
            plan.release | {"enrolment_id": enrolment_id}
        )
        rows.append(ReleaseDecision.model_validate(decision, update=owner))
    return rows


async def load_demo_data(session: AsyncSession, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Insert the demo data unless it is there already; flushes, the caller commits.

    Deterministic for a seed. A second call (any seed) finds the demo institutions and
    inserts nothing, so running it twice leaves exactly the same rows.
    """
    if await demo_data_present(session):
        return DemoSummary(created=False)
    institution_rows = [Institution.model_validate(i) for i in institutions()]
    employer_rows = [Employer.model_validate(e) for e in employers()]
    await _insert(session, [*institution_rows, *employer_rows])

    generator = DemoGenerator(
        seed, [_id(i) for i in institution_rows], [_id(e) for e in employer_rows]
    )
    plans = generator.students()
    students = [Student.model_validate(p.student) for p in plans]
    await _insert(session, students)
    enrolments = [
        Enrolment.model_validate(
            p.enrolment.model_dump(exclude={"status_since"}),
            update={
                "student_id": _id(s),
                "cohort": p.enrolment.start_date.year,
                "status_since": p.enrolment.status_since or p.enrolment.start_date,
            },
        )
        for p, s in zip(plans, students, strict=True)
    ]
    await _insert(session, enrolments)

    rows: list[SQLModel] = []
    for plan, student, enrolment in zip(plans, students, enrolments, strict=True):
        rows += initial_history(enrolment)
        rows += _owned_rows(plan, _id(student), _id(enrolment))
    await _insert(session, rows)
    rows += await record_breaches(session, plans, students, enrolments)
    rows += await add_demo_users(session, institution_rows)

    counts: dict[str, int] = {}
    for row in [*institution_rows, *employer_rows, *students, *enrolments, *rows]:
        table = str(type(row).__tablename__)
        counts[table] = counts.get(table, 0) + 1
    return DemoSummary(created=True, **counts)


async def load_demo_data_into(database_url: str, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Open the database and load the demo data (if not there yet) in one unit of work, which
    also evaluates every demo student before it commits."""
    engine = create_engine_for(database_url, pool_size=1)
    sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    try:
        async with unit_of_work(sessions=sessions) as uow:
            return await load_demo_data(uow.session, seed=seed)
    finally:
        await engine.dispose()
