"""Demo students, made deterministically from a seed; no database here.

Every record is built through the API's own request schemas, so the validators the API runs
(IIN check digit with its birth date and sex, date order, a temporary registration's 12
months, consent and decision dates) run on the demo data too. Rules that span rows (no
overlapping permanent registrations, housing or suspensions; the status history; a release
in the graduation year) hold by construction, and tests/test_demo.py checks them.
"""

import random
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from service.demo.account import DEMO_ACCOUNT_IIN, demo_account_plan
from service.demo.catalogue import (
    EMPLOYERS,
    FEMALE_NAMES,
    INSTITUTIONS,
    MALE_NAMES,
    SENDING_REGIONS,
    SURNAMES,
    allowed_regions,
)
from service.demo.graduates import AS_OF, DAY, GraduateOutcomes, StudentPlan
from service.enrolments.schemas import EnrolmentCreate
from service.enums import (
    ConsentStatus,
    EnrolmentStatus,
    HousingKind,
    InstitutionKind,
    RegistrationKind,
    Sex,
    StudyLevel,
)
from service.housing.schemas import HousingArrangementCreate
from service.reference.identifiers import make_iin
from service.residence.schemas import RegistrationCreate
from service.students.schemas import StudentCreate

__all__ = ["AS_OF", "COHORT_SIZES", "DemoGenerator", "StudentPlan"]

COHORT_SIZES = {2019: 46, 2020: 50, 2021: 52, 2022: 54, 2023: 54, 2024: 54, 2025: 50}


class DemoGenerator(GraduateOutcomes):
    """Students for the demo institutions and employers, given their database ids in order."""

    def __init__(
        self, seed: int, institution_ids: Sequence[int], employer_ids: Sequence[int]
    ) -> None:
        self.rng = random.Random(seed)
        self.institution_ids, self.employer_ids = institution_ids, employer_ids
        # No drawn student takes the IIN of the account's written-out story.
        self._iins: set[str] = {DEMO_ACCOUNT_IIN}
        self._decisions = 0

    def students(self) -> list[StudentPlan]:
        drawn = [self._plan(cohort) for cohort, n in COHORT_SIZES.items() for _ in range(n)]
        # The demo graduate account's story is written out, not drawn (``account``).
        return [*drawn, demo_account_plan(list(self.institution_ids), list(self.employer_ids))]

    def _iin(self, birth: date, sex: Sex) -> str:
        while (
            iin := make_iin(birth, sex, self.rng.randrange(10_000))
        ) is None or iin in self._iins:
            pass
        self._iins.add(iin)
        return iin

    def _plan(self, cohort: int) -> StudentPlan:
        r = self.rng
        inst = r.choices(range(len(INSTITUTIONS)), weights=(40, 35, 25))[0]
        college = INSTITUTIONS[inst].kind == InstitutionKind.college
        # Bilikti Maman (3) is the East Kazakhstan college's regional grant.
        programme = r.choices((1, 2, 3), weights=(70, 12, 18))[0] if college else 1
        programme = 2 if not college and r.random() < 0.14 else programme
        sex = r.choice((Sex.male, Sex.female))
        age = r.choice((15, 16, 16, 17)) if college else r.choice((17, 17, 18))
        birth = self._between(date(cohort - age - 1, 9, 2), date(cohort - age, 9, 1))
        origin = r.choices(list(SENDING_REGIONS), weights=(35, 15, 15, 15, 12, 8))[0]
        first = r.choice(MALE_NAMES if sex == Sex.male else FEMALE_NAMES)
        surname = r.choice(SURNAMES) + ("" if sex == Sex.male else "a")
        father = r.choice(MALE_NAMES) + ("uly" if sex == Sex.male else "kyzy")
        start, expected = date(cohort, 9, 1), date(cohort + (3 if college else 4), 6, 30)
        consent = r.choices(list(ConsentStatus), weights=(72, 10, 18))[0]
        consent_on = None
        if consent != ConsentStatus.unknown:  # the SMS reply to 1414
            consent_on = self._between(start + 30 * DAY, min(AS_OF, expected + 90 * DAY))
        email = f"{first}.{surname}{r.randint(1, 99)}@mail.kz".lower()
        student = StudentCreate(
            iin=self._iin(birth, sex),
            last_name=surname,
            first_name=first,
            patronymic=father if r.random() < 0.95 else None,
            birth_date=birth,
            sex=sex,
            origin_region_code=origin,
            email=email if r.random() < 0.5 else None,
            phone=f"+77{r.choice(('01', '05', '07', '47', '75', '77'))}{r.randrange(10**7):07d}",
            data_sharing_consent=consent,
            consent_date=consent_on,
        )
        plan = StudentPlan(student, self._enrolment(inst, programme, start, expected))
        home = r.choice(SENDING_REGIONS[origin])
        at_home = RegistrationCreate(
            kind=RegistrationKind.permanent,
            address=self._address(home == "Shymkent"),
            settlement=home,
            region_code=origin,
            start_date=birth + r.randint(3, 60) * DAY,
        )
        plan.registrations.append(at_home)
        self._study(plan, inst)
        if plan.enrolment.status == EnrolmentStatus.graduated:
            self._after_graduation(plan, inst, origin, home)
        return plan

    def _enrolment(self, inst: int, programme: int, start: date, expected: date) -> EnrolmentCreate:
        r, spec = self.rng, INSTITUTIONS[inst]
        code, name, study_field = r.choice(spec.specialties)
        cost = spec.base_cost + (start.year - 2019) * spec.cost_step + r.randint(-3, 3) * 10_000
        college = spec.kind == InstitutionKind.college
        values: dict[str, Any] = {
            "institution_id": self.institution_ids[inst],
            "programme_id": programme,
            "specialty_code": code,
            "specialty_name": name,
            "field": study_field,
            "level": StudyLevel.tvet if college else StudyLevel.bachelor,
            "start_date": start,
            "expected_graduation_date": expected,
            "grant_share": Decimal(1 if r.random() < 0.88 else r.choice(("0.5", "0.75"))),
            "annual_grant_cost": cost,
            "status": EnrolmentStatus.enrolled,
            "status_since": start,
        }
        due, roll = expected <= AS_OF, r.random()
        # A few leave; a leave that began long ago ended in expulsion.
        if 0.05 <= roll < 0.08 and (not due or expected > AS_OF - 400 * DAY):
            values["status"] = EnrolmentStatus.academic_leave
            values["status_since"] = self._between(
                max(start + 60 * DAY, AS_OF - 700 * DAY), min(AS_OF, expected) - 30 * DAY
            )
        elif roll < 0.08:
            values["status"] = EnrolmentStatus.expelled
            values["status_since"] = self._between(start + 90 * DAY, min(expected, AS_OF))
        elif due:
            graduated = date(expected.year, 6, r.randint(20, 30))
            values |= {"status": EnrolmentStatus.graduated, "status_since": graduated}
            values["graduation_date"] = graduated
            if r.random() < 0.86:  # the assignment commission's referral, in spring
                employer = self._employer(allowed_regions(programme, spec.region), study_field)
                values["referral_employer_id"] = self.employer_ids[employer]
                values["referral_region_code"] = EMPLOYERS[employer].region
                values["referral_date"] = graduated - r.randint(30, 75) * DAY
        return EnrolmentCreate.model_validate(values)

    def _study(self, plan: StudentPlan, inst: int) -> None:
        """A dormitory place (later some rent) per academic year, and a temporary registration."""
        r, spec, enrolment = self.rng, INSTITUTIONS[inst], plan.enrolment
        left = enrolment.expected_graduation_date + DAY  # places run to 1 July
        if enrolment.status in (EnrolmentStatus.expelled, EnrolmentStatus.academic_leave):
            left = enrolment.status_since or enrolment.start_date
        rents_from = enrolment.start_date.year + r.choice((1, 2, 9, 9, 9, 9))
        year = enrolment.start_date.year
        while (begin := date(year, 9, 1)) <= min(left, AS_OF):
            end = min(date(year + 1, 7, 1), left)
            rented = year >= rents_from
            address = self._address(True) if rented else spec.dormitory
            place = {"address": address, "settlement": spec.city, "region_code": spec.region}
            kind = HousingKind.rented if rented else HousingKind.dormitory
            plan.housing.append(
                HousingArrangementCreate(kind=kind, start_date=begin, end_date=end, **place)
            )
            registered = begin + r.randint(2, 9) * DAY
            # Temporary registration runs 1 to 12 months: none for a short last stay.
            if registered + relativedelta(months=1) <= end and r.random() < 0.9:
                plan.registrations.append(
                    RegistrationCreate(
                        kind=RegistrationKind.temporary,
                        start_date=registered,
                        end_date=end,
                        **place,
                    )
                )
            year += 1
