"""What a graduate reads as the action of a flag: the stored action is written for the career
centre ("help the graduate register"); the graduate reads what they can do themselves
(students report their own housing and registrations; a job is recorded by the career
centre, so they are told to tell it). Each is a message id, written in the reader's
language when read."""

from service.kit.text import N_, Text

STUDENT_ACTIONS: dict[str, str] = {
    "no_registration": N_(
        "Register at the address where you live (eGov, with the owner's or "
        "tenant's consent) and report the registration here."
    ),
    "temporary_registration_expiring": N_(
        "Extend your temporary registration, or register "
        "permanently, before it ends, and report it here."
    ),
    "registration_outside_allowed_regions": N_(
        "If you live and work in the host region, register "
        "there and report it here; if you have moved away, talk to your career centre before "
        "months are lost."
    ),
    "permanent_registration_too_short": N_(
        "Register permanently in the host region (a landlord's "
        "or employer's consent): housing support asks for a year of it."
    ),
    "resettlement_window_closing": N_(
        "Apply for resettlement support (relocation subsidy, rent) "
        "at the receiving region's career centre before the window closes."
    ),
    "dormitory_ending_without_housing": N_(
        "Arrange where you will live next (rent, employer "
        "housing, relatives), ask about rent support, and report your new housing here."
    ),
    "no_housing": N_(
        "Tell your career centre you have nowhere to live: employer housing, rent "
        "support and the rental housing queue can help."
    ),
    "housing_unknown": N_("Report where you live now."),
    "start_deadline_near": N_(
        "Find a job in an allowed region before the deadline and tell your "
        "career centre the employer and the start date."
    ),
    "work_not_started": N_(
        "Tell your career centre as soon as you have a job offer in an allowed "
        "region; they record the job and can match you with vacancies."
    ),
    "work_outside_allowed": N_(
        "Only work in an allowed region counts: talk to your career centre "
        "about a job there, or about the grounds for release."
    ),
    "credited_gap": N_(
        "If you changed or lost your job, tell your career centre: months without "
        "credited work do not count."
    ),
    "suspension_ending": N_(
        "Plan your return to credited work in an allowed region before the suspension ends."
    ),
    "evidence_unverified": N_(
        "Bring your employment contract or your employer's confirmation to "
        "your career centre, so your months are verified."
    ),
    "no_data_sharing_consent": N_(
        "Reply 511 to the SMS from 1414 to let your employment data be "
        "shared, or bring your contract and your employer's confirmation."
    ),
}


def action_for(code: str, staff_action: Text, by_student: bool) -> Text:
    """The action a flag's reader can take."""
    if by_student and code in STUDENT_ACTIONS:
        return Text(STUDENT_ACTIONS[code])
    return staff_action
