"""Grant programmes with a work-off duty, and their obligation rules per cohort.

What varies by programme or cohort (months owed, allowed regions, the start deadline) is
data here, never a constant in code: the sources disagree and the rules change by year.
"""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.kit.model_base import TimestampedTable


class ProgrammeBase(SQLModel):
    code: str = Field(max_length=40, unique=True, description="Stable short code, e.g. `serpin`.")
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)


class Programme(ProgrammeBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ObligationRuleBase(SQLModel):
    cohort_from: int = Field(ge=2000, le=2100, description="First admission year the rule covers.")
    cohort_to: int | None = Field(
        default=None, ge=2000, le=2100, description="Last admission year covered; null = open."
    )
    required_months: int = Field(ge=1, le=120, description="Months of work owed for a full grant.")
    rural_only: bool = Field(default=False, description="Work must be in a rural settlement.")
    start_deadline_month: int = Field(default=9, ge=1, le=12)
    start_deadline_day: int = Field(default=1, ge=1, le=31)
    prorate_partial_grant: bool = Field(
        default=True, description="A partial grant owes months in proportion to its share."
    )
    credit_part_time: bool = Field(
        default=False,
        sa_column_kwargs={"server_default": sa.false()},
        description="Part-time work counts towards the obligation.",
    )
    resettlement_window_months: int | None = Field(
        default=None,
        ge=1,
        le=24,
        description="Months after graduation in which a graduate keeps the resettlement quota "
        "by applying to the receiving region's career centre (Serpin); null: no such window.",
    )
    source: str = Field(default="", max_length=1000, description="The public source of the rule.")


class ObligationRule(ObligationRuleBase, TimestampedTable, table=True):
    __tablename__ = "obligation_rule"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "cohort_from"),
        sa.CheckConstraint(
            "cohort_to IS NULL OR cohort_to >= cohort_from", name="cohort_range_ordered"
        ),
        sa.CheckConstraint("required_months > 0", name="required_months_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)


class ObligationRuleRegion(SQLModel, table=True):
    """A region where work counts towards the rule's obligation."""

    __tablename__ = "obligation_rule_region"

    rule_id: int = Field(foreign_key="obligation_rule.id", primary_key=True, ondelete="CASCADE")
    region_code: str = Field(foreign_key="region.code", primary_key=True, max_length=8, index=True)
