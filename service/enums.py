"""Every enumeration of the domain, in one module that imports nothing of the service.

The table models store these as VARCHAR values (``kit.model_base.enum_type``); the pure rule
modules compare against them without importing a table, a session or a setting.
"""

from enum import StrEnum


class RegionKind(StrEnum):
    region = "region"
    city = "city"


class Sex(StrEnum):
    male = "male"
    female = "female"


class InstitutionKind(StrEnum):
    university = "university"
    college = "college"


class SettlementKind(StrEnum):
    rural = "rural"
    urban = "urban"


class ConsentStatus(StrEnum):
    """Consent to the labour ministry passing employment data to the Financial Center (SMS 1414)."""

    granted = "granted"
    refused = "refused"
    unknown = "unknown"


class StudyLevel(StrEnum):
    bachelor = "bachelor"
    tvet = "tvet"  # technical and vocational education (college)
    master = "master"


class StudyField(StrEnum):
    pedagogical = "pedagogical"
    technical = "technical"
    agricultural = "agricultural"
    medical = "medical"
    other = "other"


class EnrolmentStatus(StrEnum):
    enrolled = "enrolled"
    academic_leave = "academic_leave"
    graduated = "graduated"
    expelled = "expelled"
    transferred = "transferred"


# Graduated, expelled and transferred end the enrolment; a correction is a new enrolment.
ALLOWED_TRANSITIONS: dict[EnrolmentStatus, frozenset[EnrolmentStatus]] = {
    EnrolmentStatus.enrolled: frozenset(
        {
            EnrolmentStatus.academic_leave,
            EnrolmentStatus.graduated,
            EnrolmentStatus.expelled,
            EnrolmentStatus.transferred,
        }
    ),
    EnrolmentStatus.academic_leave: frozenset(
        {EnrolmentStatus.enrolled, EnrolmentStatus.expelled, EnrolmentStatus.transferred}
    ),
    EnrolmentStatus.graduated: frozenset(),
    EnrolmentStatus.expelled: frozenset(),
    EnrolmentStatus.transferred: frozenset(),
}


class EvidenceKind(StrEnum):
    pension_contributions = "pension_contributions"  # from the labour ministry, with consent
    contract = "contract"
    employer_confirmation = "employer_confirmation"
    self_reported = "self_reported"


class RegistrationKind(StrEnum):
    permanent = "permanent"
    temporary = "temporary"


class HousingKind(StrEnum):
    dormitory = "dormitory"
    rented = "rented"
    own = "own"
    employer_provided = "employer_provided"
    relatives = "relatives"
    social_rental = "social_rental"
    none = "none"


class SupportKind(StrEnum):
    resettlement_support = "resettlement_support"
    rental_housing_queue = "rental_housing_queue"
    employer_housing = "employer_housing"


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    under_review = "under_review"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


DECIDED_STATUSES = frozenset(
    {ApplicationStatus.approved, ApplicationStatus.rejected, ApplicationStatus.withdrawn}
)


class SuspensionReason(StrEnum):
    military_service = "military_service"
    child_care = "child_care"
    maternity = "maternity"
    study = "study"
    illness = "illness"
    other = "other"


class ReleaseGround(StrEnum):
    """Grounds on which the assignment commission releases a graduate (Order No. 403)."""

    spouse_no_vacancy = "spouse_no_vacancy"
    disability_group_1_2 = "disability_group_1_2"
    postgraduate_enrolment = "postgraduate_enrolment"
    pregnancy = "pregnancy"
    single_parent_child_under_3 = "single_parent_child_under_3"


class NoticeStatus(StrEnum):
    open = "open"
    withdrawn = "withdrawn"
    decided = "decided"


class DecisionStatus(StrEnum):
    in_force = "in_force"
    annulled = "annulled"


class ObligationStatus(StrEnum):
    pending_start = "pending_start"
    serving = "serving"
    suspended = "suspended"
    completed = "completed"
    released = "released"
    breached = "breached"


class DisputeSubject(StrEnum):
    ledger_month = "ledger_month"
    breach_notice = "breach_notice"
    breach_decision = "breach_decision"
    release_decision = "release_decision"


class DisputeStatus(StrEnum):
    open = "open"
    upheld = "upheld"  # resolved in the graduate's favour
    rejected = "rejected"
    withdrawn = "withdrawn"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"
    """A reminder, not a risk: outside the risk counts and the default risk list."""


class RiskCode(StrEnum):
    """What a risk flag warns of (docs/RULES.md, "Risk flags", gives each one's severity,
    threshold and source). Each flag also carries an explanation and an action written for
    its reader."""

    no_registration = "no_registration"
    temporary_registration_expiring = "temporary_registration_expiring"
    registration_outside_allowed_regions = "registration_outside_allowed_regions"
    permanent_registration_too_short = "permanent_registration_too_short"
    resettlement_window_closing = "resettlement_window_closing"
    dormitory_ending_without_housing = "dormitory_ending_without_housing"
    no_housing = "no_housing"
    housing_unknown = "housing_unknown"
    start_deadline_near = "start_deadline_near"
    work_not_started = "work_not_started"
    work_outside_allowed = "work_outside_allowed"
    credited_gap = "credited_gap"
    suspension_ending = "suspension_ending"
    evidence_unverified = "evidence_unverified"
    no_data_sharing_consent = "no_data_sharing_consent"


# When each flag is raised, word for word as docs/RULES.md says it (a test keeps them equal).
RISK_CODE_MEANINGS: dict[RiskCode, str] = {
    RiskCode.no_registration: "the graduate lives or works in a region (current job, or "
    "housing other than a dormitory) with no registration there",
    RiskCode.temporary_registration_expiring: "the only current registration is temporary "
    "and ends soon",
    RiskCode.registration_outside_allowed_regions: "every current registration is outside "
    "the allowed regions",
    RiskCode.permanent_registration_too_short: "no settled housing (own, employer, social "
    "rental) and permanent registration in the host region shorter than housing support asks",
    RiskCode.resettlement_window_closing: "the programme's window after graduation "
    "(`resettlement_window_months` of the rule: 6 for Serpin, none for the others) closes "
    "within the warning time and no resettlement-support application is recorded",
    RiskCode.dormitory_ending_without_housing: "the current dormitory place ends soon and no "
    "next housing is recorded",
    RiskCode.no_housing: "the graduate reported having no housing",
    RiskCode.housing_unknown: "no current housing is recorded",
    RiskCode.start_deadline_near: "no credited work yet in the last days before the start "
    "deadline (the deadline day included): a **reminder**, not a risk",
    RiskCode.work_not_started: "no credited work from the day after the deadline: 1-30 days "
    "late (medium), 31-90 (high), over 90 (critical)",
    RiskCode.work_outside_allowed: "working, but every current job is outside the credited "
    "work (region, rural, part-time)",
    RiskCode.credited_gap: "serving, and the last complete months were not credited (nor "
    "suspended)",
    RiskCode.suspension_ending: "a suspension ends soon: work must resume",
    RiskCode.evidence_unverified: "a job unverified half a year after it started",
    RiskCode.no_data_sharing_consent: "consent refused (medium) or unknown (low) while the "
    "duty runs",
}


# Sorting key of the risk list: most severe first.
PRIORITY = {
    Severity.critical: 0,
    Severity.high: 1,
    Severity.medium: 2,
    Severity.low: 3,
    Severity.info: 4,
}
RISK_SEVERITIES = (Severity.critical, Severity.high, Severity.medium, Severity.low)
# Codes only ever raised at severity info: reminders before anyone is late, outside the risk
# counts and the caseload.
REMINDER_CODES = frozenset({RiskCode.start_deadline_near})


class MonthOutcome(StrEnum):
    credited = "credited"
    suspended = "suspended"
    not_credited = "not_credited"


class MonthReason(StrEnum):
    employed = "employed"
    credited_by_dispute = "credited_by_dispute"
    suspension = "suspension"
    no_employment = "no_employment"
    outside_allowed_regions = "outside_allowed_regions"
    not_rural = "not_rural"
    part_time = "part_time"
    too_few_days = "too_few_days"


class UserRole(StrEnum):
    admin = "admin"
    career_centre = "career_centre"
    financial_center = "financial_center"
    student = "student"


class ApiScope(StrEnum):
    read = "read"
    write = "write"
    monitoring = "monitoring"


class AuditAction(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"


class ErrorCode(StrEnum):
    """The ``code`` of a field error: why a value was refused, stable for machines.

    Beside these, a field error may carry one of Pydantic's own validation types
    (``missing``, ``string_too_long``, ``int_parsing`` ...), and a body that is not JSON is
    ``json_invalid``.
    """

    iin_format = "iin_format"
    iin_check_digit = "iin_check_digit"
    iin_century = "iin_century"
    iin_birth_date = "iin_birth_date"
    iin_birth_date_mismatch = "iin_birth_date_mismatch"
    iin_sex_mismatch = "iin_sex_mismatch"
    bin_format = "bin_format"
    bin_check_digit = "bin_check_digit"
    bin_month = "bin_month"
    bin_entity_type = "bin_entity_type"
    bin_unit_type = "bin_unit_type"
    date_order = "date_order"
    date_format = "date_format"
    date_impossible = "date_impossible"
    date_in_future = "date_in_future"
    duplicate = "duplicate"
    unknown_reference = "unknown_reference"
    unknown_region = "unknown_region"
    unknown_student = "unknown_student"
    unknown_employer = "unknown_employer"
    null = "null"
    cursor_invalid = "cursor_invalid"
    scope_too_wide = "scope_too_wide"
    filter_not_in_dataset = "filter_not_in_dataset"
    idempotency_key_reused = "idempotency_key_reused"
    role_binding = "role_binding"
    consent_date_required = "consent_date_required"
    consent_date_unexpected = "consent_date_unexpected"
    no_rule_for_cohort = "no_rule_for_cohort"
    cohort_overlap = "cohort_overlap"
    cohort_range = "cohort_range"
    cohort_enrolled = "cohort_enrolled"
    graduation_date_required = "graduation_date_required"
    graduation_date_unexpected = "graduation_date_unexpected"
    graduation_date_mismatch = "graduation_date_mismatch"
    referral_after_graduation = "referral_after_graduation"
    status_transition = "status_transition"
    temporary_end_required = "temporary_end_required"
    temporary_too_short = "temporary_too_short"
    temporary_too_long = "temporary_too_long"
    permanent_overlap = "permanent_overlap"
    housing_overlap = "housing_overlap"
    suspension_overlap = "suspension_overlap"
    place_unexpected = "place_unexpected"
    region_required = "region_required"
    decided_on_required = "decided_on_required"
    decided_on_unexpected = "decided_on_unexpected"
    release_outside_graduation_year = "release_outside_graduation_year"
    month_required = "month_required"
    month_outside_ledger = "month_outside_ledger"
    month_invalid = "month_invalid"
    not_disputable = "not_disputable"
    scenario = "scenario"
    scope_too_large = "scope_too_large"
    control_character = "control_character"
    if_match_malformed = "if_match_malformed"
    # An import's file as a whole, and the cells and rows of one.
    empty_file = "empty_file"
    unreadable_file = "unreadable_file"
    xls_not_supported = "xls_not_supported"
    unknown_sheet = "unknown_sheet"
    no_header = "no_header"
    duplicate_column = "duplicate_column"
    missing_columns = "missing_columns"
    too_many_rows = "too_many_rows"
    unpacked_too_large = "unpacked_too_large"
    workbook_too_large = "workbook_too_large"
    rows_format = "rows_format"
    xlsx_needs_dry_run = "xlsx_needs_dry_run"
    number_format = "number_format"
    boolean_format = "boolean_format"
    unknown_choice = "unknown_choice"
    unknown_programme = "unknown_programme"
    unknown_institution = "unknown_institution"
    other_institution = "other_institution"
    iin_mismatch = "iin_mismatch"
    status_date_required = "status_date_required"
    status_date_fixed = "status_date_fixed"


ERROR_CODE_MEANINGS: dict[ErrorCode, str] = {
    ErrorCode.iin_format: "An IIN is exactly 12 ASCII digits.",
    ErrorCode.iin_check_digit: "The IIN's 12th digit does not match the first 11.",
    ErrorCode.iin_century: "The IIN's 7th digit (century and sex) is not 1-6.",
    ErrorCode.iin_birth_date: "The IIN's first 6 digits are not a real date.",
    ErrorCode.iin_birth_date_mismatch: "The birth date contradicts the IIN.",
    ErrorCode.iin_sex_mismatch: "The sex contradicts the IIN's 7th digit.",
    ErrorCode.bin_format: "A BIN is exactly 12 ASCII digits.",
    ErrorCode.bin_check_digit: "The BIN's 12th digit does not match the first 11.",
    ErrorCode.bin_month: "The BIN's digits 3-4 are not a month.",
    ErrorCode.bin_entity_type: "The BIN's 5th digit is not 4, 5 or 6.",
    ErrorCode.bin_unit_type: "The BIN's 6th digit is not 0-3.",
    ErrorCode.date_order: "An end comes before its start (or a date before another it follows).",
    ErrorCode.date_format: "A date is written YYYY-MM-DD (a number is no date).",
    ErrorCode.date_impossible: "Written as a date, but no such day exists (31.02.2025).",
    ErrorCode.date_in_future: "Something recorded as done is dated in the future.",
    ErrorCode.duplicate: "Another record already holds this unique value.",
    ErrorCode.unknown_reference: "The referenced record does not exist (or is not the student's).",
    ErrorCode.unknown_region: "Not a region code; `GET /api/v1/regions` lists them.",
    ErrorCode.unknown_student: "No grant student has this IIN.",
    ErrorCode.unknown_employer: "The employer is not registered and too little was sent to add it.",
    ErrorCode.null: "The field cannot be null.",
    ErrorCode.cursor_invalid: "The cursor was not made by this list.",
    ErrorCode.filter_not_in_dataset: "An export was narrowed by a column its dataset does "
    "not have (an institution for the students, say).",
    ErrorCode.scope_too_wide: "A list of the whole country was asked for: choose an "
    "institution or search.",
    ErrorCode.idempotency_key_reused: "The Idempotency-Key was used for another request.",
    ErrorCode.role_binding: "The account's role and its institution or student do not fit.",
    ErrorCode.consent_date_required: "A granted or refused consent has a date.",
    ErrorCode.consent_date_unexpected: "An unknown consent has no date.",
    ErrorCode.no_rule_for_cohort: "The programme has no obligation rule for this cohort.",
    ErrorCode.cohort_overlap: "The cohort range overlaps another rule of the programme.",
    ErrorCode.cohort_range: "The last cohort comes before the first.",
    ErrorCode.cohort_enrolled: "A later cohort is already enrolled under the rule.",
    ErrorCode.graduation_date_required: "A graduated enrolment has a graduation date.",
    ErrorCode.graduation_date_unexpected: "Only a graduated enrolment has a graduation date.",
    ErrorCode.graduation_date_mismatch: "A graduated enrolment's status dates from graduation.",
    ErrorCode.referral_after_graduation: "The work referral is issued before graduation.",
    ErrorCode.status_transition: "The enrolment cannot move from its status to this one.",
    ErrorCode.temporary_end_required: "A temporary registration has an end date.",
    ErrorCode.temporary_too_short: "A temporary registration lasts at least a month.",
    ErrorCode.temporary_too_long: "A temporary registration lasts at most 12 months.",
    ErrorCode.permanent_overlap: "One permanent registration at a time.",
    ErrorCode.housing_overlap: "One housing arrangement at a time.",
    ErrorCode.suspension_overlap: "One suspension at a time.",
    ErrorCode.place_unexpected: "'No housing' has no region, settlement or address.",
    ErrorCode.region_required: "The region is required here.",
    ErrorCode.decided_on_required: "A decided application has its decision date.",
    ErrorCode.decided_on_unexpected: "An application in progress has no decision date.",
    ErrorCode.release_outside_graduation_year: "Releases are decided in the graduation year.",
    ErrorCode.month_required: "A ledger-month dispute names its month.",
    ErrorCode.month_outside_ledger: "The month is not in the obligation's ledger.",
    ErrorCode.month_invalid: "Expected a past or current month as YYYY-MM.",
    ErrorCode.not_disputable: "Only an open breach notice or a decision in force is disputed.",
    ErrorCode.scenario: "A what-if needs either leave_on, or start_on with a region.",
    ErrorCode.scope_too_large: "Too many graduates for a live evaluation; narrow the scope.",
    ErrorCode.control_character: "NUL and other control characters are not stored.",
    ErrorCode.if_match_malformed: 'If-Match is the ETag as read, e.g. "3".',
    ErrorCode.empty_file: "The uploaded file has no rows.",
    ErrorCode.unreadable_file: "Neither an Excel workbook (.xlsx) nor a CSV table.",
    ErrorCode.xls_not_supported: "The old Excel format (.xls): save the file as .xlsx or CSV.",
    ErrorCode.unknown_sheet: "The workbook has no sheet of that name.",
    ErrorCode.no_header: "No row of the file's first rows names the columns of this import.",
    ErrorCode.duplicate_column: "Two columns of the file name the same field.",
    ErrorCode.missing_columns: "A column the import needs is not in the file.",
    ErrorCode.too_many_rows: "More rows than one import takes; split the file.",
    ErrorCode.unpacked_too_large: "The workbook unpacks to more than an import reads.",
    ErrorCode.workbook_too_large: "The workbook holds more rows, cells, texts or longer cells "
    "than an import reads.",
    ErrorCode.rows_format: "Rows to commit are numbers and ranges, such as `2-40, 45`.",
    ErrorCode.xlsx_needs_dry_run: "The annotated workbook comes with a preview only.",
    ErrorCode.number_format: "The cell is not a number.",
    ErrorCode.boolean_format: "The cell is neither yes nor no.",
    ErrorCode.unknown_choice: "The cell is none of the field's choices.",
    ErrorCode.unknown_programme: "No programme has this code or name.",
    ErrorCode.unknown_institution: "No institution has this BIN.",
    ErrorCode.other_institution: "The student belongs to another institution.",
    ErrorCode.iin_mismatch: "The IIN is not that of the student the id names.",
    ErrorCode.status_date_required: "A change of status needs the date it took effect.",
    ErrorCode.status_date_fixed: "An import does not move the date of an unchanged status.",
}
