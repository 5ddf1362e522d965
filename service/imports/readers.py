"""A row's cells read into the API's request bodies, kind by kind, with the reference data
(regions, programmes, institutions, employers) named the ways people name them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import (
    ConsentStatus,
    EnrolmentStatus,
    EvidenceKind,
    HousingKind,
    RegistrationKind,
    SettlementKind,
    Sex,
    StudyField,
    StudyLevel,
)
from service.imports import values
from service.imports.columns import ImportKind
from service.imports.files import Cell
from service.imports.values import CellError
from service.kit.i18n import _
from service.kit.input_guard import unstorable_fields
from service.models.organisations import Employer, Institution
from service.models.programmes import Programme
from service.models.reference import Region
from service.reference.identifiers import IdentifierError, parse_iin


def _name_key(written: str) -> str:
    return " ".join(written.casefold().replace("ё", "е").split())


@dataclass
class References:
    """Reference rows for one import, loaded once. Holding them also keeps them in the
    session's identity map (it references rows weakly), so the services' own checks of the
    same references cost no query per row."""

    regions: dict[str, str] = field(default_factory=dict)
    programmes: dict[str, int] = field(default_factory=dict)
    institutions: dict[str, int] = field(default_factory=dict)
    employers: dict[str, int | None] = field(default_factory=dict)
    held: list[Any] = field(default_factory=list)

    @classmethod
    async def load(cls, session: AsyncSession) -> "References":
        refs = cls()
        for region in await session.exec(select(Region)):
            refs.held.append(region)
            for name in (region.code, region.name_kk, region.name_ru, region.name_en):
                refs.regions[_name_key(name)] = region.code
        for programme in await session.exec(select(Programme)):
            refs.held.append(programme)
            for name in (programme.code, programme.name):
                refs.programmes[_name_key(name)] = programme.id or 0
        for institution in await session.exec(select(Institution)):
            refs.held.append(institution)
            refs.institutions[institution.bin] = institution.id or 0
        return refs

    def region(self, value: Cell) -> str:
        found = self.regions.get(_name_key(values.text(value)))
        if found is None:
            raise CellError(
                "unknown_region",
                _("No region “%(value)s”: give its code (KZ-59) or its name.")
                % {"value": values.text(value)},
            )
        return found

    def programme(self, value: Cell) -> int:
        found = self.programmes.get(_name_key(values.text(value)))
        if found is None:
            raise CellError(
                "unknown_programme",
                _("No programme “%(value)s”: give its code (serpin) or its name.")
                % {"value": values.text(value)},
            )
        return found

    def institution(self, value: Cell) -> int:
        bin_ = values.digits(value)
        if bin_ not in self.institutions:
            raise CellError(
                "unknown_institution", _("No institution with BIN %(bin)s.") % {"bin": bin_}
            )
        return self.institutions[bin_]

    async def employer(self, session: AsyncSession, value: Cell) -> int:
        bin_ = values.digits(value)
        if bin_ not in self.employers:
            row = (await session.exec(select(Employer).where(Employer.bin == bin_))).first()
            if row is not None:
                self.held.append(row)
            self.employers[bin_] = row.id if row is not None else None
        found = self.employers[bin_]
        if found is None:
            raise CellError(
                "unknown_employer",
                _("No employer with BIN %(bin)s: register the employer first.") % {"bin": bin_},
            )
        return found


def _enum(enum: type[Enum]) -> Callable[[Cell], Any]:
    return lambda value: values.member(enum, value)


_PLAIN: dict[str, Callable[[Cell], Any]] = {
    "iin": values.digits,
    "student_id": values.whole,
    "birth_date": values.day,
    "consent_date": values.day,
    "start_date": values.day,
    "end_date": values.day,
    "expected_graduation_date": values.day,
    "graduation_date": values.day,
    "status_since": values.day,
    "referral_date": values.day,
    "sex": _enum(Sex),
    "data_sharing_consent": _enum(ConsentStatus),
    "field": _enum(StudyField),
    "level": _enum(StudyLevel),
    "status": _enum(EnrolmentStatus),
    "evidence_kind": _enum(EvidenceKind),
    "settlement_kind": _enum(SettlementKind),
    "full_time": values.yes_no,
    "grant_share": values.amount,
    "annual_grant_cost": values.whole,
}
_KINDS: dict[ImportKind, type[Enum]] = {
    ImportKind.registrations: RegistrationKind,
    ImportKind.housing: HousingKind,
}
# Cells that name another row: the body field each one fills.
REFERENCE_FIELDS = {
    "institution_bin": "institution_id",
    "programme": "programme_id",
    "referral_employer_bin": "referral_employer_id",
    "employer_bin": "employer_id",
}
FIELD_OF = {body: cell for cell, body in REFERENCE_FIELDS.items()}


async def read_row(
    session: AsyncSession, kind: ImportKind, cells: dict[str, Cell], refs: References
) -> tuple[dict[str, Any], dict[str, CellError]]:
    """The row's values as the API takes them, and the cells that could not be read."""
    body: dict[str, Any] = {}
    errors: dict[str, CellError] = {}
    for name, cell in cells.items():
        try:
            if isinstance(cell, str) and unstorable_fields(cell, name):
                # As the API refuses them in a body: never stored, whatever the field.
                raise CellError(
                    "control_character", _("must not contain control characters (such as NUL)")
                )
            if name in ("origin_region_code", "region_code", "referral_region_code"):
                body[name] = refs.region(cell)
            elif name == "programme":
                body["programme_id"] = refs.programme(cell)
            elif name == "institution_bin":
                body["institution_id"] = refs.institution(cell)
            elif name in ("employer_bin", "referral_employer_bin"):
                body[REFERENCE_FIELDS[name]] = await refs.employer(session, cell)
            elif name == "kind":
                body[name] = values.member(_KINDS[kind], cell)
            elif name in _PLAIN:
                body[name] = _PLAIN[name](cell)
            else:
                body[name] = values.text(cell)
        except CellError as exc:
            errors[name] = exc
    if kind == ImportKind.graduates:
        _from_iin(body)
    return body, errors


def _from_iin(body: dict[str, Any]) -> None:
    """The IIN encodes the birth date and sex: a file may leave them out."""
    if "status" not in body:
        graduated = isinstance(body.get("graduation_date"), date)
        body["status"] = (
            EnrolmentStatus.graduated if graduated else EnrolmentStatus.enrolled
        ).value
    try:
        facts = parse_iin(str(body.get("iin", "")))
    except IdentifierError:
        return
    body.setdefault("birth_date", facts.birth_date)
    body.setdefault("sex", facts.sex.value)
