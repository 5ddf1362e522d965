from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

from service.enums import EnrolmentStatus, StudyField, StudyLevel
from service.kit.fields import MAX_ID, Day, Name, RegionCode, not_before, not_past_today
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
    status: EnrolmentStatus = EnrolmentStatus.enrolled
    status_since: Day | None = Field(
        default=None, description="When the status took effect; defaults to start_date."
    )


class EnrolmentUpdate(SQLModel):
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
    status: EnrolmentStatus
    effective_on: Annotated[Day, AfterValidator(not_past_today)] = Field(
        description="For `graduated`, the graduation date; not in the future."
    )
    note: Note | None = None


class StatusChangePublic(SQLModel):
    id: int
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
