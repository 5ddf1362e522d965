"""A dataset as a person reads it in a spreadsheet: headers in the reader's language, a name
beside every id that points to another row (the student, the institution, the programme,
the employer), a region's name beside its code, and a label beside every coded value.

The machine formats (CSV, NDJSON) keep the bare columns a mirror loads; this is the same rows
in the same order with those columns added, read in one statement with outer joins."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from service.enums import ObligationStatus, RiskCode, Severity
from service.kit.i18n import gettext
from service.kit.text import N_
from service.labels import LABELS, label
from service.monitoring.exports import ExportFilters, Source, select_rows

HEADERS: dict[str, str] = {
    "id": N_("Id"),
    "iin": N_("IIN"),
    "last_name": N_("Last name"),
    "first_name": N_("First name"),
    "patronymic": N_("Patronymic"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "origin_region_code": N_("Home region code"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "data_sharing_consent": N_("Data-sharing consent"),
    "consent_date": N_("Consent date"),
    "created_at": N_("Created at"),
    "updated_at": N_("Updated at"),
    "version": N_("Version"),
    "student_id": N_("Student id"),
    "institution_id": N_("Institution id"),
    "programme_id": N_("Programme id"),
    "cohort": N_("Cohort"),
    "specialty_code": N_("Specialty code"),
    "specialty_name": N_("Specialty"),
    "field": N_("Field of study"),
    "level": N_("Level"),
    "start_date": N_("Start date"),
    "expected_graduation_date": N_("Expected graduation"),
    "graduation_date": N_("Graduation date"),
    "status": N_("Status"),
    "status_since": N_("Status since"),
    "grant_share": N_("Grant share"),
    "annual_grant_cost": N_("Annual grant cost, KZT"),
    "referral_employer_id": N_("Referral employer id"),
    "referral_region_code": N_("Referral region code"),
    "referral_date": N_("Referral date"),
    "enrolment_id": N_("Enrolment id"),
    "region_code": N_("Region code"),
    "present_region_code": N_("Code of the region where they work or live"),
    "required_months": N_("Months required"),
    "credited_months": N_("Months credited"),
    "verified_months": N_("Months verified"),
    "suspended_months": N_("Months suspended"),
    "months_left": N_("Months left"),
    "start_deadline": N_("Start deadline"),
    "started_on": N_("Started on"),
    "projected_completion": N_("Projected completion"),
    "total_grant_cost": N_("Total grant cost, KZT"),
    "repayment_amount": N_("Repayment, KZT"),
    "repayment_on_hold": N_("Repayment on hold"),
    "as_of": N_("As of"),
    "evaluated_at": N_("Evaluated at"),
    "employer_id": N_("Employer id"),
    "settlement": N_("Settlement"),
    "settlement_kind": N_("Kind of settlement"),
    "end_date": N_("End date"),
    "full_time": N_("Full time"),
    "evidence_kind": N_("Evidence"),
    "verified": N_("Verified"),
    "kind": N_("Kind"),
    "address": N_("Address"),
    "self_reported": N_("Reported by the graduate"),
    "code": N_("Code"),
    "severity": N_("Severity"),
    "since": N_("Since"),
    "due": N_("Due"),
    "explanation": N_("Explanation"),
    "action": N_("Action"),
    "name": N_("Name"),
    "bin": N_("BIN"),
    "city": N_("City"),
    "description": N_("Description"),
    "name_kk": N_("Name in Kazakh"),
    "name_ru": N_("Name in Russian"),
    "name_en": N_("Name in English"),
}
NAMED: dict[str, tuple[str, str]] = {
    "student_id": ("student", N_("Student")),
    "institution_id": ("institution", N_("Institution")),
    "programme_id": ("programme", N_("Programme")),
    "employer_id": ("employer", N_("Employer")),
    "referral_employer_id": ("employer", N_("Referral employer")),
    "origin_region_code": ("region", N_("Home region")),
    "region_code": ("region", N_("Region")),
    "present_region_code": ("region", N_("Region where they work or live")),
    "referral_region_code": ("region", N_("Referral region")),
}
"""Columns that point to another row: the table they point to, and the header of its name."""
CODED: dict[tuple[str, str], type[Enum]] = {
    ("risk_flag", "code"): RiskCode,
    ("risk_flag", "severity"): Severity,
    ("obligation", "status"): ObligationStatus,
}
"""Coded columns stored as plain text (the enum columns are found by their type)."""
OWN_HEADERS: dict[tuple[str, str], str] = {
    ("risk_flag", "code"): N_("Risk"),
    # An evaluation's region_code is where the graduate studied, not where they are.
    ("obligation", "region_code"): N_("Institution's region code"),
    ("risk_flag", "region_code"): N_("Institution's region code"),
}
OWN_NAMES: dict[tuple[str, str], str] = {
    ("obligation", "region_code"): N_("Institution's region"),
    ("risk_flag", "region_code"): N_("Institution's region"),
}
"""A column whose name says less in its table than elsewhere."""


@dataclass(frozen=True)
class Column:
    header: str
    expression: Any
    convert: Callable[[Any], Any] | None = None


def _enum_of(table: sa.Table, name: str) -> type[Enum] | None:
    kind = table.c[name].type
    found = kind.enum_class if isinstance(kind, sa.Enum) else CODED.get((table.name, name))
    return found if found in LABELS else None


def _labelled(enum: type[Enum]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return label(enum(value.value if isinstance(value, Enum) else value))
        except ValueError:
            return value

    return convert


def _name_of(target: str, key: Any, locale: str) -> Any:
    """The name of the row ``key`` points to, as a scalar subquery (an outer join's column
    without the join: the statement stays the dataset's own, whatever it points to)."""
    table = SQLModel.metadata.tables[target]
    if target == "student":
        name: Any = table.c.last_name + " " + table.c.first_name
        name = name + sa.func.coalesce(" " + table.c.patronymic, "")
        return sa.select(name).where(table.c.id == key).scalar_subquery()
    if target == "region":
        column = table.c.get(f"name_{locale}", table.c.name_en)
        return sa.select(column).where(table.c.code == key).scalar_subquery()
    return sa.select(table.c.name).where(table.c.id == key).scalar_subquery()


def columns(source: Source, locale: str) -> list[Column]:
    """The dataset's columns as the spreadsheet shows them, in order."""
    table = SQLModel.metadata.tables[source.table]
    found = []
    for name in source.columns:
        own = gettext(OWN_HEADERS.get((table.name, name)) or HEADERS.get(name, name))
        enum = _enum_of(table, name)
        if name in NAMED:
            target, header = NAMED[name]
            header = OWN_NAMES.get((table.name, name), header)
            found.append(Column(own, table.c[name]))
            found.append(Column(gettext(header), _name_of(target, table.c[name], locale)))
        elif enum is not None:
            code = gettext("%(column)s (code)") % {"column": own}
            found.append(Column(code, table.c[name]))
            found.append(Column(own, table.c[name], _labelled(enum)))
        else:
            found.append(Column(own, table.c[name]))
    return found


def select(
    source: Source, shown: list[Column], filters: ExportFilters | None = None
) -> sa.Select[Any]:
    """The dataset's rows (as ``select_rows`` has them), with the shown columns."""
    rows = select_rows(source, filters)
    return rows.with_only_columns(*(c.expression for c in shown), maintain_column_froms=True)
