"""The human name of every value a person reads (a status, a kind, a reason), in the
reader's language: ``label(ObligationStatus.serving)`` is "serving", "отрабатывает",
"өтеп жүр". Pages and texts use these instead of the stored values."""

from enum import Enum

from service.enums import (
    ApplicationStatus,
    ConsentStatus,
    DecisionStatus,
    DisputeStatus,
    DisputeSubject,
    EnrolmentStatus,
    EvidenceKind,
    HousingKind,
    InstitutionKind,
    MonthOutcome,
    MonthReason,
    NoticeStatus,
    ObligationStatus,
    RegionKind,
    RegistrationKind,
    ReleaseGround,
    RiskCode,
    SettlementKind,
    Severity,
    Sex,
    StudyField,
    StudyLevel,
    SupportKind,
    SuspensionReason,
    UserRole,
)
from service.kit.i18n import gettext
from service.kit.text import N_

# Per enumeration: two enumerations may share a value ("other") and not its name.
LABELS: dict[type[Enum], dict[str, str]] = {
    ApplicationStatus: {
        ApplicationStatus.submitted: N_("submitted"),
        ApplicationStatus.under_review: N_("under review"),
        ApplicationStatus.approved: N_("approved"),
        ApplicationStatus.rejected: N_("rejected"),
        ApplicationStatus.withdrawn: N_("withdrawn"),
    },
    ConsentStatus: {
        ConsentStatus.granted: N_("consent given"),
        ConsentStatus.refused: N_("consent refused"),
        ConsentStatus.unknown: N_("consent not recorded"),
    },
    DecisionStatus: {
        DecisionStatus.in_force: N_("in force"),
        DecisionStatus.annulled: N_("annulled"),
    },
    DisputeStatus: {
        DisputeStatus.open: N_("open"),
        DisputeStatus.upheld: N_("upheld"),
        DisputeStatus.rejected: N_("rejected"),
        DisputeStatus.withdrawn: N_("withdrawn"),
    },
    DisputeSubject: {
        DisputeSubject.ledger_month: N_("a month of the ledger"),
        DisputeSubject.breach_notice: N_("a breach notice"),
        DisputeSubject.breach_decision: N_("a breach decision"),
        DisputeSubject.release_decision: N_("a release decision"),
    },
    EnrolmentStatus: {
        EnrolmentStatus.enrolled: N_("studying"),
        EnrolmentStatus.academic_leave: N_("on academic leave"),
        EnrolmentStatus.graduated: N_("graduated"),
        EnrolmentStatus.expelled: N_("expelled"),
        EnrolmentStatus.transferred: N_("transferred"),
    },
    EvidenceKind: {
        EvidenceKind.pension_contributions: N_("pension contributions"),
        EvidenceKind.contract: N_("employment contract"),
        EvidenceKind.employer_confirmation: N_("employer's confirmation"),
        EvidenceKind.self_reported: N_("reported by the graduate"),
    },
    HousingKind: {
        HousingKind.dormitory: N_("dormitory"),
        HousingKind.rented: N_("rented"),
        HousingKind.own: N_("own home"),
        HousingKind.employer_provided: N_("provided by the employer"),
        HousingKind.relatives: N_("with relatives"),
        HousingKind.social_rental: N_("social rental housing"),
        HousingKind.none: N_("no housing"),
    },
    InstitutionKind: {
        InstitutionKind.university: N_("university"),
        InstitutionKind.college: N_("college"),
    },
    MonthOutcome: {
        MonthOutcome.credited: N_("credited"),
        MonthOutcome.suspended: N_("suspended"),
        MonthOutcome.not_credited: N_("not credited"),
    },
    MonthReason: {
        MonthReason.employed: N_("employed"),
        MonthReason.credited_by_dispute: N_("credited by a dispute"),
        MonthReason.suspension: N_("suspension"),
        MonthReason.no_employment: N_("no employment"),
        MonthReason.outside_allowed_regions: N_("outside the allowed regions"),
        MonthReason.not_rural: N_("not in a rural settlement"),
        MonthReason.part_time: N_("part-time"),
        MonthReason.too_few_days: N_("too few days"),
    },
    NoticeStatus: {
        NoticeStatus.open: N_("open"),
        NoticeStatus.withdrawn: N_("withdrawn"),
        NoticeStatus.decided: N_("decided"),
    },
    ObligationStatus: {
        ObligationStatus.pending_start: N_("work not started"),
        ObligationStatus.serving: N_("serving"),
        ObligationStatus.suspended: N_("suspended"),
        ObligationStatus.completed: N_("completed"),
        ObligationStatus.released: N_("released"),
        ObligationStatus.breached: N_("breached"),
    },
    RegionKind: {
        RegionKind.region: N_("region"),
        RegionKind.city: N_("city of republican significance"),
    },
    RegistrationKind: {
        RegistrationKind.permanent: N_("permanent registration"),
        RegistrationKind.temporary: N_("temporary registration"),
    },
    ReleaseGround: {
        ReleaseGround.spouse_no_vacancy: N_("no vacancy where the spouse serves"),
        ReleaseGround.disability_group_1_2: N_("disability of group 1 or 2"),
        ReleaseGround.postgraduate_enrolment: N_("postgraduate study"),
        ReleaseGround.pregnancy: N_("pregnancy"),
        ReleaseGround.single_parent_child_under_3: N_("single parent of a child under 3"),
    },
    RiskCode: {
        RiskCode.no_registration: N_("No registration"),
        RiskCode.temporary_registration_expiring: N_("Temporary registration ending"),
        RiskCode.registration_outside_allowed_regions: N_("Registered outside the allowed regions"),
        RiskCode.permanent_registration_too_short: N_("Permanent registration too short"),
        RiskCode.resettlement_window_closing: N_("Resettlement-support window closing"),
        RiskCode.dormitory_ending_without_housing: N_("Dormitory ending, no next housing"),
        RiskCode.no_housing: N_("No housing"),
        RiskCode.housing_unknown: N_("Housing unknown"),
        RiskCode.start_deadline_near: N_("Start deadline near"),
        RiskCode.work_not_started: N_("Work not started"),
        RiskCode.work_outside_allowed: N_("Work not credited"),
        RiskCode.credited_gap: N_("Months without credited work"),
        RiskCode.suspension_ending: N_("Suspension ending"),
        RiskCode.evidence_unverified: N_("Employment not verified"),
        RiskCode.no_data_sharing_consent: N_("No consent to share data"),
    },
    SettlementKind: {
        SettlementKind.rural: N_("rural settlement"),
        SettlementKind.urban: N_("town"),
    },
    Severity: {
        Severity.critical: N_("critical"),
        Severity.high: N_("high"),
        Severity.medium: N_("medium"),
        Severity.low: N_("low"),
        Severity.info: N_("reminder"),
    },
    Sex: {
        Sex.male: N_("male"),
        Sex.female: N_("female"),
    },
    StudyField: {
        StudyField.pedagogical: N_("pedagogy"),
        StudyField.technical: N_("engineering and technology"),
        StudyField.agricultural: N_("agriculture"),
        StudyField.medical: N_("medicine"),
        StudyField.other: N_("other field"),
    },
    StudyLevel: {
        StudyLevel.bachelor: N_("bachelor's degree"),
        StudyLevel.tvet: N_("technical and vocational education"),
        StudyLevel.master: N_("master's degree"),
    },
    SupportKind: {
        SupportKind.resettlement_support: N_("resettlement support"),
        SupportKind.rental_housing_queue: N_("rental housing queue"),
        SupportKind.employer_housing: N_("employer housing"),
    },
    # The same words as a ledger month's pause (service/obligations/ledger.py).
    SuspensionReason: {
        SuspensionReason.military_service: N_("military service"),
        SuspensionReason.child_care: N_("child care"),
        SuspensionReason.maternity: N_("maternity leave"),
        SuspensionReason.study: N_("study"),
        SuspensionReason.illness: N_("illness"),
        SuspensionReason.other: N_("other reason"),
    },
    UserRole: {
        UserRole.admin: N_("administrator"),
        UserRole.career_centre: N_("career centre"),
        UserRole.financial_center: N_("Financial Center"),
        UserRole.student: N_("graduate"),
    },
}

LABELLED: tuple[type[Enum], ...] = tuple(LABELS)
"""Every enumeration a person reads."""


def label(member: Enum) -> str:
    """The translated human name of an enum member."""
    return gettext(LABELS[type(member)][member.value])
