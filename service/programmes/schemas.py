from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints, model_validator
from sqlmodel import Field, SQLModel

from service.kit.fields import Name, example
from service.kit.text import N_
from service.models.programmes import ObligationRuleBase, ProgrammeBase

ProgrammeCode = Annotated[
    str, StringConstraints(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
]


class ProgrammeCreate(ProgrammeBase):
    model_config = example(
        {
            "code": "pavlodar_regional",
            "name": "Pavlodar regional grant",
            "description": "A regional grant of Pavlodar Region with a duty to work three "
            "years in the region.",
        }
    )

    code: ProgrammeCode
    name: Name


class ProgrammeUpdate(SQLModel):
    model_config = example(
        {
            "description": "State grants for students from the south who study and then work "
            "three years in the northern regions."
        }
    )

    name: str | None = Field(default=None, max_length=200, min_length=1)
    description: str | None = Field(default=None, max_length=2000)


class ObligationRuleCreate(ObligationRuleBase):
    model_config = example(
        {
            "cohort_from": 2023,
            "required_months": 36,
            "rural_only": False,
            "start_deadline_month": 9,
            "start_deadline_day": 1,
            "prorate_partial_grant": True,
            "credit_part_time": False,
            "resettlement_window_months": 6,
            "source": "Law on Education art. 47 p.17; Rules approved by Order No. 403 of "
            "11.08.2023",
            "allowed_regions": ["KZ-59", "KZ-55", "KZ-63", "KZ-39", "KZ-11"],
        }
    )

    allowed_regions: list[str] = Field(
        min_length=1, description="Region codes where work is credited."
    )

    @model_validator(mode="after")
    def _check(self) -> "ObligationRuleCreate":
        if self.cohort_to is not None and self.cohort_to < self.cohort_from:
            raise ValueError(N_("cohort_to must not be before cohort_from"))
        # 29, 30 or 31 is fine in some month; the deadline must exist in every year.
        days_in_month = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if self.start_deadline_day > days_in_month[self.start_deadline_month - 1]:
            raise ValueError(N_("start_deadline_day does not exist in start_deadline_month"))
        return self


class ObligationRulePublic(ObligationRuleBase):
    id: int
    programme_id: int
    allowed_regions: list[str]
    created_at: datetime
    updated_at: datetime
    version: int


class ProgrammePublic(ProgrammeBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int
    rules: list[ObligationRulePublic]
