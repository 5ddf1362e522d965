"""A career centre's caseload: its students and graduates, worst risk first."""

from datetime import date

from pydantic import BaseModel, Field

from service.enums import EnrolmentStatus, Severity
from service.kit.fields import MAX_ID


class CaseloadFilters(BaseModel):
    institution_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    programme_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    cohort: int | None = Field(default=None, ge=2000, le=2100, description="Admission year.")
    status: EnrolmentStatus | None = None
    code: str | None = Field(
        default=None, max_length=60, description="Only students with this risk."
    )
    severity: Severity | None = Field(
        default=None, description="Only students with a risk of this severity."
    )
    import_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Only the graduates of this committed import."
    )
    search: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="A surname (and first name) prefix, a whole IIN, or its last four digits.",
    )


class CaseloadFlag(BaseModel):
    code: str
    severity: Severity
    due: date | None


class CaseloadRow(BaseModel):
    student_id: int
    enrolment_id: int
    student_name: str
    iin_masked: str = Field(description="The IIN's last four digits, the rest hidden.")
    institution_id: int
    institution_name: str
    programme_id: int
    programme_name: str
    cohort: int
    status: EnrolmentStatus
    obligation_status: str | None = Field(description="Null until graduation.")
    credited_months: int | None
    required_months: int | None
    months_left: int | None
    start_deadline: date | None
    worst_severity: Severity | None
    next_due: date | None = Field(description="The nearest due date among the risks.")
    risks: list[CaseloadFlag]


class CaseloadPage(BaseModel):
    items: list[CaseloadRow]
    next_cursor: str | None
    total: int = Field(description="Rows that match the filters, on every page.")
