"""Every table of the service, one module per domain; importing this package registers them
all with the metadata (Alembic, the flush order and the tests rely on it).

Table models import only the kit, the enums and each other's table names (foreign keys are
strings), so no domain package is needed to load them.
"""

from service.models.audit import AuditEvent
from service.models.auth import ApiToken, LoginThrottle, StudentInvitation, User
from service.models.disputes import Dispute
from service.models.employment import Employment
from service.models.enrolments import Enrolment, EnrolmentStatusChange
from service.models.housing import HousingArrangement, HousingSupportApplication
from service.models.idempotency import IdempotencyRecord
from service.models.imports import ImportBatch, ImportBatchStudent, ImportUpload
from service.models.monitoring import ContributionMonth
from service.models.obligations import (
    BreachDecision,
    BreachNotice,
    Obligation,
    ReleaseDecision,
    Suspension,
)
from service.models.organisations import Employer, Institution
from service.models.programmes import ObligationRule, ObligationRuleRegion, Programme
from service.models.reference import Region
from service.models.residence import ResidenceRegistration
from service.models.risks import RiskFlag
from service.models.students import Student

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
    "ImportBatch",
    "ImportBatchStudent",
    "ImportUpload",
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
    "StudentInvitation",
    "Suspension",
    "User",
]
