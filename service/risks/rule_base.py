"""What every risk rule works with: thresholds, the flag it returns, the student's view."""

from dataclasses import dataclass
from datetime import date

from service.enums import ObligationStatus, RiskCode, Severity
from service.kit.text import Names, Text, sentence
from service.obligations.engine import ObligationResult
from service.obligations.facts import EnrolmentFacts, Period, StudentFacts

ACTIVE = (ObligationStatus.pending_start, ObligationStatus.serving, ObligationStatus.suspended)
SETTLED_HOUSING = frozenset({"own", "employer_provided", "social_rental"})


@dataclass(frozen=True)
class Thresholds:
    registration_warning_days: int = 10
    registration_fine_days: int = 30
    temporary_expiry_days: int = 30
    permanent_registration_months: int = 12
    resettlement_warning_days: int = 60
    dormitory_warning_days: int = 45
    start_warning_days: int = 30
    start_escalation_days: int = 30
    start_critical_days: int = 90
    gap_months: int = 2
    suspension_ending_days: int = 30
    unverified_months: int = 6


@dataclass(frozen=True)
class Flag:
    code: RiskCode
    severity: Severity
    since: date
    due: date | None
    explanation: Text
    action: Text


@dataclass(frozen=True)
class View:
    """One student as the rules see them on ``as_of``."""

    facts: StudentFacts
    enrolment: EnrolmentFacts | None
    obligation: ObligationResult | None
    as_of: date
    region_names: dict[str, Names]

    @property
    def duty_active(self) -> bool:
        return self.obligation is not None and self.obligation.status in ACTIVE

    def name(self, code: str | None) -> Names | str | Text:
        if not code:
            return sentence("an unknown region")
        return self.region_names.get(code, code)

    def covering(self, periods: list[Period]) -> list[Period]:
        return [p for p in periods if p.covers(self.as_of)]
