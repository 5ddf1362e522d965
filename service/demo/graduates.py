"""What happens to a demo graduate: release, suspensions, jobs, housing, registration, support.

A mixin of DemoGenerator (generator.py), split off to keep each file short.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from service.demo.catalogue import (
    EMPLOYERS,
    INSTITUTIONS,
    OUTSIDE_REGIONS,
    STREETS,
    allowed_regions,
)
from service.employment.schemas import EmploymentCreate
from service.enrolments.schemas import EnrolmentCreate
from service.enums import (
    DECIDED_STATUSES,
    ApplicationStatus,
    ConsentStatus,
    EvidenceKind,
    HousingKind,
    RegistrationKind,
    ReleaseGround,
    SettlementKind,
    Sex,
    StudyField,
    SupportKind,
    SuspensionReason,
)
from service.housing.schemas import HousingArrangementCreate, SupportApplicationCreate
from service.obligations.schemas import SuspensionCreate
from service.residence.schemas import RegistrationCreate
from service.students.schemas import StudentCreate

AS_OF = date(2026, 11, 22)
"""The demo's "today": statuses, registrations and jobs are as they stand on this date."""
DAY = timedelta(days=1)
# Chance that a graduate found work, by graduation year (older cohorts had longer to do so).
EMPLOYED_SHARE = {2022: 0.9, 2023: 0.87, 2024: 0.82, 2025: 0.77, 2026: 0.7}
Job = tuple[int, date, date | None]  # employer index, start, end


@dataclass
class StudentPlan:
    """One student and everything recorded about them, ready for the loader."""

    student: StudentCreate
    enrolment: EnrolmentCreate
    registrations: list[RegistrationCreate] = field(default_factory=list)
    housing: list[HousingArrangementCreate] = field(default_factory=list)
    employments: list[tuple[EmploymentCreate, bool]] = field(default_factory=list)
    """Each job with whether its evidence was verified (a separate step in the API)."""
    suspensions: list[SuspensionCreate] = field(default_factory=list)
    applications: list[SupportApplicationCreate] = field(default_factory=list)
    release: dict[str, Any] | None = None
    """ReleaseDecisionCreate fields but the enrolment id, which only the loader knows."""


class GraduateOutcomes:
    rng: random.Random
    employer_ids: Sequence[int]
    _decisions: int

    def _between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def _address(self, urban: bool) -> str:
        house = f"{self.rng.choice(STREETS)} St. {self.rng.randint(1, 180)}"
        return f"{house}, apt. {self.rng.randint(1, 120)}" if urban else house

    def _employer(self, regions: Sequence[str], sector: StudyField) -> int:
        """An employer index in the regions, of the graduate's field where there is one."""
        inside = [n for n, e in enumerate(EMPLOYERS) if e.region in regions]
        return self.rng.choice([n for n in inside if EMPLOYERS[n].sector == sector] or inside)

    def _after_graduation(self, plan: StudentPlan, inst: int, origin: str, home: str) -> None:
        r, sex, graduated = self.rng, plan.student.sex, plan.enrolment.graduation_date
        assert graduated is not None
        year, free_from = graduated.year, date(graduated.year, 7, 2)  # dormitory ends 1 July
        released = r.random() < 0.045
        if released:
            grounds = [ReleaseGround.postgraduate_enrolment] * 2
            grounds += [ReleaseGround.spouse_no_vacancy, ReleaseGround.disability_group_1_2]
            if sex == Sex.female:
                grounds += [ReleaseGround.pregnancy, ReleaseGround.single_parent_child_under_3]
            self._decisions += 1
            decided = self._between(graduated - 40 * DAY, min(date(year, 12, 20), AS_OF - DAY))
            plan.release = {
                "ground": r.choice(grounds),
                "decided_on": decided,
                "decision_number": f"AC-{year}/{self._decisions:03d}",
            }
        if sex == Sex.male and r.random() < 0.1:
            begin = self._between(free_from, min(date(year + 1, 6, 30), AS_OF - 30 * DAY))
            end = begin + relativedelta(years=1) - DAY
            plan.suspensions.append(
                SuspensionCreate(
                    reason=SuspensionReason.military_service,
                    start_date=begin,
                    end_date=end,
                    evidence="Call-up notice of the district defence department",
                )
            )
            free_from = end + 20 * DAY
        jobs = self._jobs(plan, inst, free_from, released)
        self._housing_after(plan, jobs, origin, home, free_from)
        if jobs and sex == Sex.female and r.random() < 0.12:
            begin = self._between(jobs[0][1] + 90 * DAY, AS_OF - 130 * DAY)
            if begin <= AS_OF - 130 * DAY:
                end = begin + 125 * DAY
                plan.suspensions.append(
                    SuspensionCreate(
                        reason=SuspensionReason.maternity,
                        start_date=begin,
                        end_date=end,
                        evidence="Certificate of temporary incapacity (pregnancy and childbirth)",
                    )
                )
                if r.random() < 0.6:
                    plan.suspensions.append(
                        SuspensionCreate(
                            reason=SuspensionReason.child_care,
                            start_date=end + DAY,
                            end_date=end + relativedelta(years=r.choice((1, 2, 3))),
                            evidence="Employer's order on child-care leave",
                        )
                    )

    def _jobs(self, plan: StudentPlan, inst: int, free_from: date, released: bool) -> list[Job]:
        r, enrolment, consent = self.rng, plan.enrolment, plan.student.data_sharing_consent
        assert enrolment.graduation_date is not None
        year = enrolment.graduation_date.year
        if r.random() >= EMPLOYED_SHARE.get(year, 0.7) * (0.3 if released else 1):
            return []
        allowed = allowed_regions(enrolment.programme_id, INSTITUTIONS[inst].region)
        if free_from > date(year, 8, 1):  # back from military service
            start = self._between(free_from, free_from + 100 * DAY)
        elif r.random() < 0.72:  # work starts by 1 September
            start = self._between(date(year, 8, 1), date(year, 9, 1))
        else:
            start = self._between(date(year, 9, 2), date(year + 1, 3, 1))
        if enrolment.referral_employer_id and r.random() < 0.55:
            employer = self.employer_ids.index(enrolment.referral_employer_id)
        else:
            regions = OUTSIDE_REGIONS if r.random() < 0.15 else allowed
            employer = self._employer(regions, enrolment.field)
        jobs: list[Job] = [(employer, start, None)]
        quit_on = start + r.randint(150, 700) * DAY
        if r.random() < 0.18 and quit_on < AS_OF - 30 * DAY:
            jobs[0] = (employer, start, quit_on)
            if r.random() < 0.6:  # moved on, some to Almaty or Shymkent
                regions = OUTSIDE_REGIONS if r.random() < 0.4 else allowed
                next_start = quit_on + r.randint(10, 90) * DAY
                jobs.append((self._employer(regions, enrolment.field), next_start, None))
        jobs = [job for job in jobs if job[1] <= AS_OF - 7 * DAY]
        for employer, begin, end in jobs:
            if consent == ConsentStatus.granted and r.random() < 0.92:
                # The ministry reports contributions a month or two late.
                evidence, verified = EvidenceKind.pension_contributions, begin < AS_OF - 75 * DAY
            else:
                evidence = r.choices(list(EvidenceKind)[1:], weights=(40, 30, 30))[0]
                verified = evidence != EvidenceKind.self_reported and r.random() < 0.8
            spec = EMPLOYERS[employer]
            job = EmploymentCreate(
                employer_id=self.employer_ids[employer],
                region_code=spec.region,
                settlement=spec.settlement,
                settlement_kind=spec.kind,
                start_date=begin,
                end_date=end,
                full_time=r.random() < 0.93,
                evidence_kind=evidence,
            )
            plan.employments.append((job, verified))
        return jobs

    def _housing_after(
        self, plan: StudentPlan, jobs: list[Job], origin: str, home: str, free_from: date
    ) -> None:
        """Housing where the graduate works (or at home, or none), one arrangement at a time."""
        r, K = self.rng, HousingKind
        if not jobs and free_from <= AS_OF:
            kind = r.choices((K.relatives, K.none, None), weights=(30, 30, 40))[0]
            if kind == K.relatives:
                address = self._address(home == "Shymkent")
                plan.housing.append(
                    HousingArrangementCreate(
                        kind=kind,
                        address=address,
                        settlement=home,
                        region_code=origin,
                        start_date=free_from,
                    )
                )
            elif kind == K.none:
                plan.housing.append(HousingArrangementCreate(kind=kind, start_date=free_from))
        if not jobs:
            return
        kinds = (K.rented, K.employer_provided, K.relatives, K.own, K.social_rental, K.none, None)
        kind = r.choices(kinds, weights=(45, 22, 4, 3, 2, 9, 15))[0]
        if kind is None:
            return
        (employer, start, _end), *later = jobs
        moved_in = max(free_from, start - r.randint(3, 25) * DAY)
        moved_out = later[0][1] - DAY if later else None
        if kind == K.none:
            housing = HousingArrangementCreate(kind=kind, start_date=moved_in, end_date=moved_out)
        else:
            spec = EMPLOYERS[employer]
            housing = HousingArrangementCreate(
                kind=kind,
                address=self._address(spec.kind == SettlementKind.urban),
                settlement=spec.settlement,
                region_code=spec.region,
                start_date=moved_in,
                end_date=moved_out,
            )
        plan.housing.append(housing)
        if later:
            spec = EMPLOYERS[later[0][0]]
            plan.housing.append(
                HousingArrangementCreate(
                    kind=K.rented,
                    address=self._address(spec.kind == SettlementKind.urban),
                    settlement=spec.settlement,
                    region_code=spec.region,
                    start_date=later[0][1],
                )
            )
        if kind != K.none:
            self._registrations_after(plan, housing)
        if EMPLOYERS[employer].region not in OUTSIDE_REGIONS:
            self._applications(plan, EMPLOYERS[employer].region, moved_in)

    def _registrations_after(self, plan: StudentPlan, housing: HousingArrangementCreate) -> None:
        """Permanent registration (ending the one at home), temporary ones, or none at all."""
        r, settled = self.rng, housing.kind in (HousingKind.own, HousingKind.employer_provided)
        place = housing.model_dump(include={"address", "settlement", "region_code"})
        last = min(AS_OF, housing.end_date or AS_OF)
        roll = r.random()
        if roll < (0.6 if settled else 0.3):
            begin = housing.start_date + r.randint(10, 200) * DAY
            if begin <= last:
                at_home = plan.registrations[0]
                ended = at_home.model_dump() | {"end_date": begin - DAY}
                plan.registrations[0] = RegistrationCreate.model_validate(ended)
                plan.registrations.append(
                    RegistrationCreate(
                        kind=RegistrationKind.permanent,
                        start_date=begin,
                        end_date=housing.end_date,
                        **place,
                    )
                )
        elif roll < 0.75:
            begin = housing.start_date + r.randint(3, 30) * DAY
            while begin <= last:
                end = begin + relativedelta(months=r.choice((3, 6, 6, 12, 12))) - DAY
                if end > AS_OF + 28 * DAY and r.random() < 0.3:  # runs out within four weeks
                    end = max(AS_OF + r.randint(3, 28) * DAY, begin + relativedelta(months=1))
                if housing.end_date:
                    end = min(end, housing.end_date)
                if end < begin + relativedelta(months=1):  # 1 to 12 months
                    break
                plan.registrations.append(
                    RegistrationCreate(
                        kind=RegistrationKind.temporary, start_date=begin, end_date=end, **place
                    )
                )
                if r.random() < 0.15:  # not renewed
                    break
                begin = end + r.choice((1, 1, 1, 5, 20)) * DAY

    def _applications(self, plan: StudentPlan, region: str, moved_in: date) -> None:
        r, graduated = self.rng, plan.enrolment.graduation_date
        assert graduated is not None
        wanted = []
        if r.random() < 0.14:  # Serpin graduates apply within 6 months of graduation
            applied = self._between(graduated + 20 * DAY, graduated + 175 * DAY)
            wanted.append((SupportKind.resettlement_support, "RS", applied))
        if r.random() < 0.07:
            applied = moved_in + r.randint(200, 500) * DAY
            wanted.append((SupportKind.rental_housing_queue, "RQ", applied))
        for kind, prefix, applied in wanted:
            if applied > AS_OF:
                continue
            status = r.choices(list(ApplicationStatus), weights=(15, 25, 35, 15, 10))[0]
            decided = applied + r.randint(14, 90) * DAY if status in DECIDED_STATUSES else None
            if decided is not None and decided > AS_OF:
                status, decided = ApplicationStatus.under_review, None
            plan.applications.append(
                SupportApplicationCreate(
                    kind=kind,
                    region_code=region,
                    applied_on=applied,
                    status=status,
                    decided_on=decided,
                    reference_number=f"{prefix}-{applied.year}-{r.randint(1, 99_999):05d}",
                )
            )
