from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

from service.enums import EnrolmentStatus, StudyField, StudyLevel
from service.kit.fields import MAX_ID, Day, Name, RegionCode, example, not_before, not_past_today
from service.models.enrolments import EnrolmentBase

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
GrantShare = Annotated[Decimal, Field(gt=0, le=1, max_digits=4, decimal_places=3)]
SpecialtyCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class EnrolmentFields(SQLModel):
    institution_id: Id
    programme_id: Id
    specialty_code: SpecialtyCode
    specialty_name: Name
    field: StudyField
    level: StudyLevel
    start_date: Day
    expected_graduation_date: Day
    graduation_date: Day | None = None
    grant_share: GrantShare = Decimal("1")
    annual_grant_cost: int = Field(ge=0, le=100_000_000)
    referral_employer_id: Id | None = None
    referral_region_code: RegionCode | None = None
    referral_date: Day | None = None

    @field_validator("expected_graduation_date", "graduation_date")
    @classmethod
    def _after_start(cls, value: Day | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")

    @field_validator("referral_date")
    @classmethod
    def _referral_after_start(cls, value: Day | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class EnrolmentCreate(EnrolmentFields):
    model_config = example(
        {
            "institution_id": 1,
            "programme_id": 1,
            "specialty_code": "6B01501",
            "specialty_name": "Mathematics teacher",
            "field": "pedagogical",
            "level": "bachelor",
            "start_date": "2022-09-01",
            "expected_graduation_date": "2026-06-30",
            "grant_share": "1.00",
            "annual_grant_cost": 1000000,
            "status": "enrolled",
        }
    )

    status: EnrolmentStatus = EnrolmentStatus.enrolled
    status_since: Day | None = Field(
        default=None, description="When the status took effect; defaults to start_date."
    )


class EnrolmentUpdate(SQLModel):
    model_config = example(
        {"referral_employer_id": 7, "referral_region_code": "KZ-59", "referral_date": "2026-05-20"}
    )

    institution_id: Id | None = None
    programme_id: Id | None = None
    specialty_code: SpecialtyCode | None = None
    specialty_name: Name | None = None
    field: StudyField | None = None
    level: StudyLevel | None = None
    start_date: Day | None = None
    expected_graduation_date: Day | None = None
    graduation_date: Day | None = None
    grant_share: GrantShare | None = None
    annual_grant_cost: int | None = Field(default=None, ge=0, le=100_000_000)
    referral_employer_id: Id | None = None
    referral_region_code: RegionCode | None = None
    referral_date: Day | None = None


class StatusChangeCreate(SQLModel):
    model_config = example(
        {
            "status": "graduated",
            "effective_on": "2026-06-30",
            "note": "Diploma with honours No. 0012345",
        }
    )

    status: EnrolmentStatus
    effective_on: Annotated[Day, AfterValidator(not_past_today)] = Field(
        description="For `graduated`, the graduation date; not in the future."
    )
    note: Note | None = None


class StatusChangePublic(SQLModel):
    id: int
    enrolment_id: int
    status: EnrolmentStatus
    effective_on: Day
    note: str | None
    recorded_at: datetime


class EnrolmentPublic(EnrolmentBase):
    id: int
    cohort: int
    status: EnrolmentStatus
    status_since: Day
    created_at: datetime
    updated_at: datetime
    version: int
