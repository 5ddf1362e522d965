"""Every text a request may carry fits the column that stores it: a value the schema admits
is never refused by the database (on PostgreSQL that refusal would be a 500)."""

from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel

from service.auth.schemas import ApiTokenCreate, UserCreate, UserUpdate
from service.disputes.schemas import DisputeCreate, DisputeResolution
from service.employment.schemas import EmploymentCreate, EmploymentUpdate
from service.enrolments.schemas import EnrolmentCreate, EnrolmentUpdate, StatusChangeCreate
from service.housing.schemas import (
    HousingArrangementCreate,
    HousingArrangementUpdate,
    SupportApplicationCreate,
    SupportApplicationUpdate,
)
from service.models import (
    ApiToken,
    BreachDecision,
    BreachNotice,
    Dispute,
    Employer,
    Employment,
    Enrolment,
    EnrolmentStatusChange,
    HousingArrangement,
    HousingSupportApplication,
    Institution,
    ObligationRule,
    Programme,
    ReleaseDecision,
    ResidenceRegistration,
    Student,
    Suspension,
    User,
)
from service.obligations.schemas import (
    BreachDecisionCreate,
    BreachNoticeCreate,
    ReleaseDecisionCreate,
    ReleaseDecisionUpdate,
    SuspensionCreate,
    SuspensionUpdate,
)
from service.organisations.schemas import (
    EmployerCreate,
    EmployerUpdate,
    InstitutionCreate,
    InstitutionUpdate,
)
from service.programmes.schemas import ObligationRuleCreate, ProgrammeCreate, ProgrammeUpdate
from service.residence.schemas import RegistrationCreate, RegistrationUpdate
from service.students.schemas import StudentCreate, StudentUpdate

STORED_BY: list[tuple[type[BaseModel], Any, dict[str, str]]] = [
    (InstitutionCreate, Institution, {}),
    (InstitutionUpdate, Institution, {}),
    (EmployerCreate, Employer, {}),
    (EmployerUpdate, Employer, {}),
    (StudentCreate, Student, {}),
    (StudentUpdate, Student, {}),
    (EnrolmentCreate, Enrolment, {}),
    (EnrolmentUpdate, Enrolment, {}),
    (StatusChangeCreate, EnrolmentStatusChange, {}),
    (EmploymentCreate, Employment, {}),
    (EmploymentUpdate, Employment, {}),
    (RegistrationCreate, ResidenceRegistration, {}),
    (RegistrationUpdate, ResidenceRegistration, {}),
    (HousingArrangementCreate, HousingArrangement, {}),
    (HousingArrangementUpdate, HousingArrangement, {}),
    (SupportApplicationCreate, HousingSupportApplication, {}),
    (SupportApplicationUpdate, HousingSupportApplication, {}),
    (SuspensionCreate, Suspension, {}),
    (SuspensionUpdate, Suspension, {}),
    (ReleaseDecisionCreate, ReleaseDecision, {}),
    (ReleaseDecisionUpdate, ReleaseDecision, {}),
    (BreachNoticeCreate, BreachNotice, {}),
    (BreachDecisionCreate, BreachDecision, {}),
    (DisputeCreate, Dispute, {}),
    (DisputeResolution, Dispute, {"note": "resolution_note"}),
    (UserCreate, User, {}),
    (UserUpdate, User, {}),
    (ApiTokenCreate, ApiToken, {}),
    (ProgrammeCreate, Programme, {}),
    (ProgrammeUpdate, Programme, {}),
    (ObligationRuleCreate, ObligationRule, {}),
]


def max_length(schema: type[BaseModel], field: str) -> int | None:
    json_schema = schema.model_json_schema()["properties"][field]
    options = json_schema.get("anyOf", [json_schema])
    lengths = [o["maxLength"] for o in options if "maxLength" in o]
    return min(lengths) if lengths else None


@pytest.mark.parametrize(
    ("schema", "table", "renamed"), STORED_BY, ids=[s.__name__ for s, _, _ in STORED_BY]
)
def test_text_fits_its_column(schema: type[BaseModel], table: Any, renamed: dict[str, str]) -> None:
    columns = table.__table__.columns
    checked = 0
    for field in schema.model_fields:
        column = columns.get(renamed.get(field, field))
        length = getattr(column.type, "length", None) if column is not None else None
        if not length or isinstance(column.type, sa.Enum):  # an enum holds a member, not text
            continue
        allowed = max_length(schema, field)
        assert allowed is not None, f"{schema.__name__}.{field} has no length limit"
        assert allowed <= length, (
            f"{schema.__name__}.{field} admits {allowed} characters; "
            f"{table.__tablename__}.{column.name} holds {length}"
        )
        checked += 1
    assert checked or schema in (StatusChangeCreate,), f"{schema.__name__}: nothing checked"
