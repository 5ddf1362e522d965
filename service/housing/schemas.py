from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, StringConstraints, ValidationInfo, field_validator
from sqlmodel import SQLModel

from service.enums import DECIDED_STATUSES, ApplicationStatus, HousingKind, SupportKind
from service.kit.fields import (
    Day,
    OptionalChecked,
    RegionCode,
    Settlement,
    example,
    not_before,
    not_past_today,
)
from service.kit.text import N_
from service.kit.validation_messages import custom_error
from service.models.common import Voidable
from service.models.housing import HousingArrangementBase, SupportApplicationBase

Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class HousingArrangementCreate(SQLModel):
    model_config = example(
        {
            "kind": "rented",
            "address": "Konstitutsii Kazakhstana St. 12, apt. 45",
            "settlement": "Petropavl",
            "region_code": "KZ-59",
            "start_date": "2026-07-01",
        }
    )

    kind: HousingKind
    address: Address | None = None
    settlement: Settlement | None = None
    region_code: OptionalChecked[RegionCode] = None
    start_date: Day
    end_date: Day | None = None

    @field_validator("region_code")
    @classmethod
    def _place(cls, value: str | None, info: ValidationInfo) -> str | None:
        # "No housing" has no place; any real housing must say in which region it is.
        kind = info.data.get("kind")
        if kind == HousingKind.none and (
            value is not None or info.data.get("address") or info.data.get("settlement")
        ):
            raise custom_error(
                "place_unexpected", N_("'none' housing has no region, settlement or address")
            )
        if kind not in (None, HousingKind.none) and value is None:
            raise custom_error("region_required", N_("the housing's region is required"))
        return value

    @field_validator("end_date")
    @classmethod
    def _end(cls, value: Day | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start_date")


class HousingArrangementUpdate(SQLModel):
    model_config = example({"end_date": "2027-06-30"})

    kind: HousingKind | None = None
    address: Address | None = None
    settlement: Settlement | None = None
    region_code: RegionCode | None = None
    start_date: Day | None = None
    end_date: Day | None = None


class HousingArrangementPublic(HousingArrangementBase, Voidable):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int
    self_reported: bool
    verified: bool


class SupportApplicationCreate(SQLModel):
    model_config = example(
        {
            "kind": "resettlement_support",
            "region_code": "KZ-59",
            "applied_on": "2026-07-10",
            "status": "submitted",
            "reference_number": "PTR-2026-1187",
        }
    )

    kind: SupportKind
    region_code: RegionCode
    applied_on: Annotated[Day, AfterValidator(not_past_today)]
    status: ApplicationStatus = ApplicationStatus.submitted
    decided_on: OptionalChecked[Day] = None
    reference_number: Reference | None = None
    note: Text | None = None

    @field_validator("decided_on")
    @classmethod
    def _decision(cls, value: Day | None, info: ValidationInfo) -> date | None:
        status = info.data.get("status")
        if status in DECIDED_STATUSES and value is None:
            raise custom_error(
                "decided_on_required",
                N_("an approved, rejected or withdrawn application has a date"),
            )
        if status is not None and status not in DECIDED_STATUSES and value is not None:
            raise custom_error(
                "decided_on_unexpected", N_("an application still in progress has no decision date")
            )
        return not_past_today(not_before(value, info, "applied_on"))


class SupportApplicationUpdate(SQLModel):
    model_config = example({"status": "approved", "decided_on": "2026-08-02"})

    kind: SupportKind | None = None
    region_code: RegionCode | None = None
    applied_on: Day | None = None
    status: ApplicationStatus | None = None
    decided_on: Day | None = None
    reference_number: Reference | None = None
    note: Text | None = None


class SupportApplicationPublic(SupportApplicationBase, Voidable):
    id: int
    student_id: int
    created_at: datetime
    updated_at: datetime
    version: int
