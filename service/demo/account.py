"""The demo graduate account's own story, written out rather than drawn from the seed, so
that whoever signs in as ``student`` meets a believable graduate with something to do now.

Aigerim, from a village of Turkestan region, studied to teach primary school at the North
Kazakhstan university on a Serpin grant and graduated in June 2026. The assignment commission
referred her to the secondary school in Timiryazevo, a village of the same region, where she
started on 1 September 2026, in time. She rents a room in the village; her temporary
registration there ends on 20 December 2026 and the contract is not verified yet. Her months
are being credited; what she must do now is register again (or permanently) before the
temporary registration runs out, and she may still apply for the resettlement support.

Fixed values only (no draw from the seed's random stream), so every other demo student stays
as the seed makes them."""

from datetime import date
from decimal import Decimal

from service.demo.catalogue import EMPLOYERS, INSTITUTIONS
from service.demo.graduates import StudentPlan
from service.employment.schemas import EmploymentCreate
from service.enrolments.schemas import EnrolmentCreate
from service.enums import (
    ConsentStatus,
    EnrolmentStatus,
    EvidenceKind,
    HousingKind,
    RegistrationKind,
    Sex,
    StudyField,
    StudyLevel,
)
from service.housing.schemas import HousingArrangementCreate
from service.residence.schemas import RegistrationCreate
from service.students.schemas import StudentCreate

DEMO_ACCOUNT_IIN = "040314642425"
"""The demo graduate account's student (a valid IIN: born 14 March 2004, female)."""
INSTITUTION = 0  # Manash Kozybayev North Kazakhstan University, Petropavl
SCHOOL = next(n for n, e in enumerate(EMPLOYERS) if e.name == "Timiryazevo Secondary School")
SERPIN = 1


def demo_account_plan(institution_ids: list[int], employer_ids: list[int]) -> StudentPlan:
    university, school = INSTITUTIONS[INSTITUTION], EMPLOYERS[SCHOOL]
    student = StudentCreate(
        iin=DEMO_ACCOUNT_IIN,
        last_name="Serikbayeva",
        first_name="Aigerim",
        patronymic="Nurlankyzy",
        birth_date=date(2004, 3, 14),
        sex=Sex.female,
        origin_region_code="KZ-61",
        email="aigerim.serikbayeva@mail.kz",
        phone="+77051234567",
        data_sharing_consent=ConsentStatus.granted,
        consent_date=date(2026, 5, 20),
    )
    enrolment = EnrolmentCreate(
        institution_id=institution_ids[INSTITUTION],
        programme_id=SERPIN,
        specialty_code="6B01301",
        specialty_name="Primary school teacher",
        field=StudyField.pedagogical,
        level=StudyLevel.bachelor,
        start_date=date(2022, 9, 1),
        expected_graduation_date=date(2026, 6, 30),
        grant_share=Decimal(1),
        annual_grant_cost=university.base_cost + 3 * university.cost_step,
        status=EnrolmentStatus.graduated,
        status_since=date(2026, 6, 26),
        graduation_date=date(2026, 6, 26),
        referral_employer_id=employer_ids[SCHOOL],
        referral_region_code=school.region,
        referral_date=date(2026, 5, 6),
    )
    plan = StudentPlan(student, enrolment)
    village = {"settlement": school.settlement, "region_code": school.region}
    plan.registrations = [
        RegistrationCreate(
            kind=RegistrationKind.permanent,
            address="Abai St. 14",
            settlement="Asykata",
            region_code="KZ-61",
            start_date=date(2004, 4, 2),
        ),
        RegistrationCreate(
            kind=RegistrationKind.temporary,
            address="Zheleznodorozhnaya St. 9, room 4",
            start_date=date(2026, 9, 3),
            end_date=date(2026, 12, 20),
            **village,
        ),
    ]
    dormitory = {
        "address": university.dormitory,
        "settlement": university.city,
        "region_code": university.region,
    }
    plan.housing = [
        HousingArrangementCreate(
            kind=HousingKind.dormitory,
            start_date=date(year, 9, 1),
            end_date=date(year + 1, 7, 1),
            **dormitory,
        )
        for year in range(2022, 2026)
    ]
    plan.housing.append(
        HousingArrangementCreate(
            kind=HousingKind.rented,
            address="Zheleznodorozhnaya St. 9, room 4",
            settlement=school.settlement,
            region_code=school.region,
            start_date=date(2026, 8, 28),
        )
    )
    job = EmploymentCreate(
        employer_id=employer_ids[SCHOOL],
        region_code=school.region,
        settlement=school.settlement,
        settlement_kind=school.kind,
        start_date=date(2026, 9, 1),
        full_time=True,
        evidence_kind=EvidenceKind.contract,
    )
    plan.employments = [(job, False)]
    return plan
