"""Names a page gives to what is stored as a code: risk codes, obligation statuses, roles, and
the tables and actions of the audit trail (the timeline's "who changed what")."""

from service.enums import AuditAction, ObligationStatus, RiskCode, UserRole
from service.kit.i18n import format_month, format_month_range, gettext, month_of
from service.kit.text import N_
from service.labels import label

ENTITIES = {
    "student": N_("the student's record"),
    "enrolment": N_("an enrolment"),
    "enrolment_status_change": N_("a status change"),
    "employment": N_("an employment"),
    "residence_registration": N_("a residence registration"),
    "housing_arrangement": N_("a housing arrangement"),
    "housing_support_application": N_("a housing-support application"),
    "suspension": N_("a suspension"),
    "release_decision": N_("a release decision"),
    "breach_notice": N_("a breach notice"),
    "breach_decision": N_("a breach decision"),
    "dispute": N_("a dispute"),
    "contribution_month": N_("a pension-contribution month"),
}
ACTIONS = {
    AuditAction.create: N_("added"),
    AuditAction.update: N_("changed"),
    AuditAction.delete: N_("deleted"),
}
OTHER_ACTORS = {"system": N_("the service"), "anonymous": N_("someone not signed in")}


def risk_label(code: str) -> str:
    return label(RiskCode(code)) if code in RiskCode.__members__ else code


def obligation_label(status: str) -> str:
    return label(ObligationStatus(status)) if status in ObligationStatus.__members__ else status


def role_label(role: str) -> str:
    if role in UserRole.__members__:
        return label(UserRole(role))
    return gettext(OTHER_ACTORS[role]) if role in OTHER_ACTORS else role


def entity_label(entity: str) -> str:
    return gettext(ENTITIES[entity]) if entity in ENTITIES else entity.replace("_", " ")


def action_label(action: AuditAction) -> str:
    return gettext(ACTIONS[action])


OUTCOMES = {
    "created": N_("new"),
    "updated": N_("to update"),
    "unchanged": N_("unchanged"),
    "refused": N_("refused"),
    "skipped": N_("not chosen"),
}


def outcome_label(outcome: str) -> str:
    """An import row's result (``RowOutcome``)."""
    return gettext(OUTCOMES.get(str(outcome), str(outcome)))


TEMPLATE_GLOBALS = {
    "label": label,
    "outcome_label": outcome_label,
    "risk_label": risk_label,
    "obligation_label": obligation_label,
    "role_label": role_label,
    "entity_label": entity_label,
    "action_label": action_label,
    "field_label": lambda name: field_labels().get(name, name.replace("_", " ")),
    "month_name": lambda written: format_month(month_of(written)),
    "month_range": lambda oldest, newest: format_month_range(month_of(oldest), month_of(newest)),
}


def section_titles() -> dict[str, str]:
    """The record sections of a graduate's page, by the path segment of their forms."""
    return {
        "employments": gettext("Employment"),
        "registrations": gettext("Residence registration"),
        "housing": gettext("Housing"),
        "housing-applications": gettext("Housing-support applications"),
        "suspensions": gettext("Suspensions"),
        "release-decisions": gettext("Release decisions"),
    }


def field_labels() -> dict[str, str]:
    return {
        "employer_id": gettext("Employer"),
        "region_code": gettext("Region"),
        "settlement": gettext("Settlement"),
        "settlement_kind": gettext("Kind of settlement"),
        "start_date": gettext("Start date"),
        "end_date": gettext("End date"),
        "full_time": gettext("Full time"),
        "evidence_kind": gettext("Evidence"),
        "kind": gettext("Kind"),
        "address": gettext("Address"),
        "reason": gettext("Reason"),
        "evidence": gettext("Evidence"),
        "applied_on": gettext("Applied on"),
        "decided_on": gettext("Decided on"),
        "outcome": gettext("Outcome"),
        "amount": gettext("Amount, tenge"),
        "note": gettext("Note"),
        "ground": gettext("Ground"),
        "decision_number": gettext("Decision number"),
        "enrolment_id": gettext("Enrolment"),
        "status": gettext("Status"),
        "effective_on": gettext("Takes effect on"),
        "issued_on": gettext("Issued on"),
        "respond_by": gettext("Answer by"),
        "resolution": gettext("Resolution"),
        "credited_months": gettext("Months credited"),
    }
