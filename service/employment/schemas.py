from datetime import date, datetime
from typing import Annotated

from pydantic import ValidationInfo, field_validator
from sqlmodel import Field, SQLModel

from service.enums import EvidenceKind, SettlementKind
from service.kit.fields import MAX_ID, Day, RegionCode, Settlement, example, not_before
from service.models.common import Voidable
from service.models.employment import EmploymentBase

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class EmploymentCreate(SQLModel):
    model_config = example(
        {
            "employer_id": 7,
            "start_date": "2026-09-01",
            "full_time": True,
            "evidence_kind": "contract",
        }
    )

    employer_id: Id
    region_code: RegionCode | None = Field(
        default=None, description="Workplace region; defaults to the employer's."
    )
    settlement: Settlement | None = Field(default=None, description="Defaults to the employer's.")
    settlement_kind: SettlementKind | None = Field(
        default=None, description="Defaults to the employer's."
    )
    start_date: Day
    end_date: Day | None = None
    full_time: bool = True
    evidence_kind: EvidenceKind

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: Day | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class EmploymentUpdate(SQLModel):
    model_config = example({"end_date": "2027-06-30"})

    employer_id: Id | None = None
    region_code: RegionCode | None = None
    settlement: Settlement | None = None
    settlement_kind: SettlementKind | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    full_time: bool | None = None
    evidence_kind: EvidenceKind | None = None


class EmploymentPublic(EmploymentBase, Voidable):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int
