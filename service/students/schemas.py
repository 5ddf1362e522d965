from datetime import date, datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

from service.enums import ConsentStatus, Sex
from service.kit.fields import Day, OptionalChecked, RegionCode, example, not_before, not_past_today
from service.kit.text import N_
from service.kit.validation_messages import custom_error
from service.models.students import StudentBase
from service.reference.identifiers import IdentifierError, parse_iin

Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=16, pattern=r"^\+?[0-9]{10,15}$")
]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[EmailStr, Field(max_length=254)]
Iin = Annotated[str, StringConstraints(strip_whitespace=True, max_length=12)]


class StudentCreate(SQLModel):
    model_config = example(
        {
            "iin": "020314600010",
            "last_name": "Serikbayeva",
            "first_name": "Aigerim",
            "patronymic": "Nurlanovna",
            "birth_date": "2002-03-14",
            "sex": "female",
            "origin_region_code": "KZ-61",
            "email": "aigerim.serikbayeva@example.kz",
            "phone": "+77011234567",
            "data_sharing_consent": "granted",
            "consent_date": "2022-09-01",
        }
    )

    iin: Iin
    last_name: PersonName
    first_name: PersonName
    patronymic: PersonName | None = None
    birth_date: Day
    sex: Sex
    origin_region_code: RegionCode
    email: Email | None = None
    phone: Phone | None = None
    data_sharing_consent: ConsentStatus = ConsentStatus.unknown
    consent_date: OptionalChecked[Day] = None

    @field_validator("iin")
    @classmethod
    def _iin_valid(cls, value: str) -> str:
        try:
            parse_iin(value)
        except IdentifierError as exc:
            raise PydanticCustomError(exc.code, str(exc)) from exc
        return value

    @field_validator("birth_date")
    @classmethod
    def _birth_date_matches_iin(cls, value: Day, info: ValidationInfo) -> date:
        iin = info.data.get("iin")
        if iin is not None and parse_iin(iin).birth_date != value:
            raise custom_error(
                "iin_birth_date_mismatch",
                N_("birth date {given} contradicts the IIN, which encodes {encoded}"),
                {"given": value.isoformat(), "encoded": parse_iin(iin).birth_date.isoformat()},
            )
        return value

    @field_validator("sex")
    @classmethod
    def _sex_matches_iin(cls, value: Sex, info: ValidationInfo) -> Sex:
        iin = info.data.get("iin")
        if iin is not None and parse_iin(iin).sex != value:
            raise custom_error("iin_sex_mismatch", N_("sex contradicts the IIN's 7th digit"))
        return value

    @field_validator("consent_date")
    @classmethod
    def _consent_date(cls, value: Day | None, info: ValidationInfo) -> date | None:
        consent = info.data.get("data_sharing_consent")
        if consent in (ConsentStatus.granted, ConsentStatus.refused) and value is None:
            raise custom_error(
                "consent_date_required", N_("the date of a granted or refused consent is required")
            )
        if consent == ConsentStatus.unknown and value is not None:
            raise custom_error("consent_date_unexpected", N_("an unknown consent has no date"))
        return not_past_today(not_before(value, info, "birth_date"))


class StudentUpdate(SQLModel):
    """IIN, birth date and sex can be corrected; the result is validated whole."""

    model_config = example({"phone": "+77051234567", "email": "a.serikbayeva@example.kz"})

    iin: Iin | None = None
    last_name: PersonName | None = None
    first_name: PersonName | None = None
    patronymic: PersonName | None = None
    birth_date: Day | None = None
    sex: Sex | None = None
    origin_region_code: RegionCode | None = None
    email: Email | None = None
    phone: Phone | None = None
    data_sharing_consent: ConsentStatus | None = None
    consent_date: Day | None = None


class StudentPublic(StudentBase):
    id: int
    created_at: datetime
    updated_at: datetime
    version: int
