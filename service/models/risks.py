"""Risk flags: early warnings per graduate, kept current on every change and by the rescan."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# The sort key of a flag without a due date: after every dated one of its severity.
NO_DUE_DATE = date(9999, 12, 31)


class RiskFlag(SQLModel, table=True):
    __tablename__ = "risk_flag"
    __table_args__ = (
        sa.Index("ix_risk_flag_priority_due_key_id", "priority", "due_key", "id"),
        sa.Index(
            "ix_risk_flag_institution_id_priority_due_key_id",
            "institution_id",
            "priority",
            "due_key",
            "id",
        ),
        # A list filtered by code (a rare one most of all) pages through this in list order.
        sa.Index("ix_risk_flag_code_priority_due_key_id", "code", "priority", "due_key", "id"),
        # The caseload's worst risk and nearest due date per student of an institution,
        # read from the index alone (PostgreSQL; SQLite ignores the INCLUDE).
        sa.Index(
            "ix_risk_flag_institution_id_student_id",
            "institution_id",
            "student_id",
            postgresql_include=["priority", "due_key", "severity"],
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    # Copies of the enrolment's columns, written with it: see ``Obligation``.
    enrolment_id: int | None = None
    institution_id: int | None = None
    programme_id: int | None = None
    cohort: int | None = None
    region_code: str | None = Field(
        default=None, max_length=8, index=True, description="The institution's region."
    )
    present_region_code: str | None = Field(
        default=None,
        max_length=8,
        description="Where the graduate works, or lives when not working, on ``as_of``.",
    )
    code: str = Field(max_length=60)
    severity: str = Field(max_length=10)
    priority: int
    since: date
    due: date | None = None
    due_key: date
    # In English, for exports and the change feed; ``texts`` holds the message ids and
    # parameters (service/kit/text.py) that write them again in each reader's language.
    explanation: str = Field(max_length=1000)
    action: str = Field(max_length=1000)
    texts: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    as_of: date
