"""Grant students: the person, identified by IIN, with consent to share data."""

from datetime import date

from sqlmodel import Field, SQLModel

from service.enums import ConsentStatus, Sex
from service.kit.model_base import TimestampedTable, enum_type
from service.models.common import region_fk


class StudentBase(SQLModel):
    iin: str = Field(max_length=12, unique=True, description="Individual identification number.")
    last_name: str = Field(max_length=100, index=True)
    first_name: str = Field(max_length=100)
    patronymic: str | None = Field(default=None, max_length=100)
    birth_date: date
    sex: Sex = Field(sa_type=enum_type(Sex))
    origin_region_code: str = region_fk()
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20)
    data_sharing_consent: ConsentStatus = Field(
        default=ConsentStatus.unknown, sa_type=enum_type(ConsentStatus)
    )
    consent_date: date | None = None


class Student(StudentBase, TimestampedTable, table=True):
    id: int | None = Field(default=None, primary_key=True)
    registered_by_institution_id: int | None = Field(
        default=None,
        foreign_key="institution.id",
        index=True,
        description="The career centre that registered the student, before any enrolment.",
    )
