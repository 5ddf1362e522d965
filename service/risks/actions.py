"""What a graduate reads as the action of a flag: the stored action is written for the career
centre ("help the graduate register"); the graduate reads what they can do themselves
(students report their own housing and registrations; a job is recorded by the career
centre, so they are told to tell it)."""

from service.enums import RiskCode

STUDENT_ACTIONS: dict[str, str] = {
    RiskCode.no_registration: (
        "Register at the address where you live (eGov, with the owner's or tenant's consent) "
        "and report the registration here."
    ),
    RiskCode.temporary_registration_expiring: (
        "Extend your temporary registration, or register permanently, before it ends, and "
        "report it here."
    ),
    RiskCode.registration_outside_allowed_regions: (
        "If you live and work in the host region, register there and report it here; if you "
        "have moved away, talk to your career centre before months are lost."
    ),
    RiskCode.permanent_registration_too_short: (
        "Register permanently in the host region (a landlord's or employer's consent): housing "
        "support asks for a year of it."
    ),
    RiskCode.resettlement_window_closing: (
        "Apply for resettlement support (relocation subsidy, rent) at the receiving region's "
        "career centre before the window closes."
    ),
    RiskCode.dormitory_ending_without_housing: (
        "Arrange where you will live next (rent, employer housing, relatives), ask about rent "
        "support, and report your new housing here."
    ),
    RiskCode.no_housing: (
        "Tell your career centre you have nowhere to live: employer housing, rent support and "
        "the rental housing queue can help."
    ),
    RiskCode.housing_unknown: ("Report where you live now."),
    RiskCode.start_deadline_near: (
        "Find a job in an allowed region before the deadline and tell your career centre the "
        "employer and the start date."
    ),
    RiskCode.work_not_started: (
        "Tell your career centre as soon as you have a job offer in an allowed region; they "
        "record the job and can match you with vacancies."
    ),
    RiskCode.work_outside_allowed: (
        "Only work in an allowed region counts: talk to your career centre about a job there, "
        "or about the grounds for release."
    ),
    RiskCode.credited_gap: (
        "If you changed or lost your job, tell your career centre: months without credited work"
        " do not count."
    ),
    RiskCode.suspension_ending: (
        "Plan your return to credited work in an allowed region before the suspension ends."
    ),
    RiskCode.evidence_unverified: (
        "Bring your employment contract or your employer's confirmation to your career centre, "
        "so your months are verified."
    ),
    RiskCode.no_data_sharing_consent: (
        "Reply 511 to the SMS from 1414 to let your employment data be shared, or bring your "
        "contract and your employer's confirmation."
    ),
}


def action_for(code: str, staff_action: str, by_student: bool) -> str:
    """The action a flag's reader can take."""
    return STUDENT_ACTIONS.get(code, staff_action) if by_student else staff_action
