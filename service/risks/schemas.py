from pydantic import BaseModel, Field

from service.enums import RiskCode, Severity
from service.kit.fields import Day


class RiskFlagPublic(BaseModel):
    id: int | None = Field(default=None, description="Null for a live evaluation.")
    student_id: int
    enrolment_id: int | None
    institution_id: int | None
    programme_id: int | None
    cohort: int | None
    region_code: str | None = Field(description="The host institution's region.")
    code: RiskCode
    severity: Severity
    since: Day
    due: Day | None = Field(description="When it gets worse, or the deadline to act by.")
    explanation: str
    action: str = Field(description="The recommended action, written for the reader.")
    as_of: Day
    student_name: str | None = Field(default=None, description="Last, first and patronymic.")
    iin_masked: str | None = Field(
        default=None, description="The IIN's last four digits, the rest hidden: `********1234`."
    )
    phone: str | None = None
    email: str | None = None
    institution_name: str | None = None
    region_name: str | None = Field(default=None, description="The host region, by name.")


class RiskFilters(BaseModel):
    institution_id: int | None = None
    region_code: str | None = None
    programme_id: int | None = None
    cohort: int | None = None
    code: RiskCode | None = None
    severity: Severity | None = None
    include_reminders: bool = False


class RiskSummary(BaseModel):
    as_of: Day | None = Field(description="The date the stored flags were evaluated as of.")
    flags: int
    students_at_risk: int
    by_severity: dict[str, int]
    by_code: dict[str, dict[str, int]] = Field(description="Per code, counts per severity.")
    reminders: int = Field(
        default=0,
        description="Reminders (severity `info`), which are not risks: not counted above.",
    )
