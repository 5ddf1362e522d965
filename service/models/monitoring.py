"""Pension-contribution months received from the labour ministry through the Financial Center."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.kit.model_base import created_at_field


class ContributionMonth(SQLModel, table=True):
    """One month of contributions by one employer for one graduate: the evidence behind an
    employment, and what makes an import idempotent."""

    __tablename__ = "contribution_month"
    __table_args__ = (sa.UniqueConstraint("student_id", "employer_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="student.id", index=True)
    employer_id: int = Field(foreign_key="employer.id")
    month: date = Field(description="The month's first day.")
    employment_id: int = Field(foreign_key="employment.id", index=True)
    batch_id: str | None = Field(default=None, max_length=100)
    created_at: datetime = created_at_field()
