"""Every table model, imported once so the metadata (and Alembic) sees them all."""

from service.audit.models import AuditEvent
from service.auth.models import ApiToken, LoginThrottle, User
from service.disputes.models import Dispute
from service.employers.models import Employer
from service.employment.models import Employment
from service.enrolments.models import Enrolment, EnrolmentStatusChange
from service.housing.models import HousingArrangement, HousingSupportApplication
from service.idempotency.models import IdempotencyRecord
from service.institutions.models import Institution
from service.monitoring.models import ContributionMonth
from service.obligations.models import (
    BreachDecision,
    BreachNotice,
    Obligation,
    ReleaseDecision,
    Suspension,
)
from service.programmes.models import ObligationRule, ObligationRuleRegion, Programme
from service.reference.models import Region
from service.residence.models import ResidenceRegistration
from service.risks.models import RiskFlag
from service.students.models import Student

__all__ = [
    "ApiToken",
    "AuditEvent",
    "BreachDecision",
    "BreachNotice",
    "ContributionMonth",
    "Dispute",
    "Employer",
    "Employment",
    "Enrolment",
    "EnrolmentStatusChange",
    "HousingArrangement",
    "HousingSupportApplication",
    "IdempotencyRecord",
    "Institution",
    "LoginThrottle",
    "Obligation",
    "ObligationRule",
    "ObligationRuleRegion",
    "Programme",
    "Region",
    "ReleaseDecision",
    "ResidenceRegistration",
    "RiskFlag",
    "Student",
    "Suspension",
    "User",
]
