"""Who writes and who verifies each kind of record is the spec's, and the records service
enforces it whoever calls (the API's role check, a page, an import): a role outside the spec
is refused and nothing is written."""

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import ROLE_SCOPES, Principal
from service.employment.schemas import EmploymentCreate
from service.employment.service import spec as employment_spec
from service.enums import UserRole
from service.kit.errors import Forbidden
from service.models.employment import Employment
from service.models.students import Student
from service.students.records import create_record, verify_record
from tests.factories import at_risk_graduate, create, employer_body, employment_body


def principal(role: UserRole) -> Principal:
    return Principal(1, "someone", role, None, None, ROLE_SCOPES[role])


async def test_the_records_service_refuses_a_role_outside_the_spec(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    created, _enrolment = await at_risk_graduate(client)
    employer = await create(client, "/employers", employer_body())
    student = await session.get(Student, created["id"])
    assert student is not None
    data = EmploymentCreate.model_validate(employment_body(employer["id"]))
    with pytest.raises(Forbidden):
        await create_record(
            session, employment_spec, student, data, principal(UserRole.financial_center)
        )
    count = select(func.count()).select_from(Employment).where(Employment.student_id == student.id)
    assert (await session.exec(count)).one() == 0

    row = await create_record(session, employment_spec, student, data, principal(UserRole.admin))
    with pytest.raises(Forbidden):
        await verify_record(
            session, employment_spec, row, True, principal(UserRole.career_centre), None
        )
    assert row.verified is False
