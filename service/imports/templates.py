"""The file to fill in for each kind of import, headed in the reader's language, with an
example row and the values each column accepts."""

import csv
import io
from datetime import date
from enum import Enum

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
from service.imports.columns import LAYOUTS, ImportKind
from service.imports.files import Cell, template_workbook
from service.kit.i18n import _, current_locale, use_locale
from service.residence.rules import TEMPORARY_MAX_MONTHS, TEMPORARY_MIN_MONTHS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHOICES: dict[str, type[Enum]] = {
    "sex": Sex,
    "data_sharing_consent": ConsentStatus,
    "field": StudyField,
    "level": StudyLevel,
    "status": EnrolmentStatus,
    "evidence_kind": EvidenceKind,
    "settlement_kind": SettlementKind,
}
KIND_CHOICES: dict[ImportKind, type[Enum]] = {
    ImportKind.registrations: RegistrationKind,
    ImportKind.housing: HousingKind,
}
ENCODINGS: dict[str, tuple[str, ...]] = {
    "en": ("utf-8", "utf-16", "cp1251"),
    "ru": ("utf-8", "utf-16", "cp1251"),
    "kk": ("utf-8", "utf-16"),
}
"""The encodings a CSV copy of each language's template may be saved in and read back
(``files._encoding``): Windows-1251 has no Kazakh letters, so a Kazakh file is UTF-8."""


def _titles() -> dict[ImportKind, str]:
    return {
        ImportKind.graduates: _("Graduates"),
        ImportKind.employments: _("Employments"),
        ImportKind.registrations: _("Registrations"),
        ImportKind.housing: _("Housing"),
    }


def kind_title(kind: ImportKind) -> str:
    return _titles()[kind]


def _choices(kind: ImportKind, name: str) -> type[Enum] | None:
    return KIND_CHOICES.get(kind) if name == "kind" else CHOICES.get(name)


def _example(kind: ImportKind, name: str, written: str | None) -> Cell:
    if written is None:
        return None
    enum = _choices(kind, name)
    if enum is not None:
        return values.label_of(enum(values.member(enum, written)))
    if name.endswith("_date") or name == "start_date":
        return values.day(written)
    return written


def _conditions(kind: ImportKind) -> list[str]:
    """The requirements that depend on another cell of the row, as the rules check them
    (``StudentCreate``, ``enrolments.service.check_fields``, the records' schemas)."""
    header = LAYOUTS[kind].column
    locale = current_locale.get()
    if kind == ImportKind.graduates:
        graduated = values.label_of(EnrolmentStatus.graduated)
        return [
            _("%(column)s: required when the consent is granted or refused; blank when unknown.")
            % {"column": header("consent_date").header(locale)},
            _("%(column)s: required when the status is “%(graduated)s”, blank otherwise.")
            % {"column": header("graduation_date").header(locale), "graduated": graduated},
            _(
                "%(column)s: required when a stored graduate's status"
                " changes to another than “%(graduated)s”."
            )
            % {"column": header("status_since").header(locale), "graduated": graduated},
        ]
    if kind == ImportKind.registrations:
        return [
            _(
                "%(column)s: required for a temporary registration, which"
                " lasts %(low)s to %(high)s months."
            )
            % {
                "column": header("end_date").header(locale),
                "low": TEMPORARY_MIN_MONTHS,
                "high": TEMPORARY_MAX_MONTHS,
            },
        ]
    if kind == ImportKind.housing:
        return [
            _(
                "%(column)s: required unless the housing is “%(none)s”, which"
                " has no region, settlement or address."
            )
            % {
                "column": header("region_code").header(locale),
                "none": values.label_of(HousingKind.none),
            }
        ]
    return [
        _("%(columns)s: a blank cell takes the employer's.")
        % {
            "columns": ", ".join(
                header(f).header(locale) for f in ("region_code", "settlement", "settlement_kind")
            )
        }
    ]


def _encodings(locale: str) -> str:
    if "cp1251" in ENCODINGS[locale]:
        return _("A CSV copy: save it as UTF-8 or Windows-1251.")
    return _("A CSV copy: save it as UTF-8 (Windows-1251 has no Kazakh letters).")


def hints(kind: ImportKind) -> list[str]:
    """What the template's notes and the import page say about filling the file in."""
    layout = LAYOUTS[kind]
    found = [
        _("One row is one record; the header row may sit below a title."),
        _("Dates as DD.MM.YYYY (or Excel dates)."),
        _("A blank cell leaves the stored value as it is."),
        _("Columns marked * are required."),
    ]
    if kind == ImportKind.graduates:
        found.append(_("Birth date and sex may be left blank: the IIN gives them."))
        found.append(_("A career centre's rows go to its own institution."))
    else:
        found.append(_("Name the student by IIN or by the service's student id."))
    found += _conditions(kind)
    found.append(_encodings(current_locale.get()))
    for column in layout.columns:
        enum = _choices(kind, column.name)
        if enum is not None:
            labels = ", ".join(values.label_of(m) for m in enum)
            found.append(f"{column.header(current_locale.get())}: {labels}")
    return found


def template_file(kind: ImportKind, locale: str, format: str) -> tuple[bytes, str, str]:
    """The template's bytes, media type and file name."""
    layout = LAYOUTS[kind]
    with use_locale(locale):
        headers = [c.header(locale) + (" *" if c.required else "") for c in layout.columns]
        example = [_example(kind, c.name, c.example_in(locale)) for c in layout.columns]
        name = f"serpin-{kind.value}-{locale}"
        if format == "csv":
            buffer = io.StringIO()
            # Excel in Kazakh and Russian settings splits on semicolons; BOM: it reads UTF-8.
            writer = csv.writer(buffer, delimiter="," if locale == "en" else ";")
            writer.writerow(headers)
            writer.writerow(
                [v.strftime("%d.%m.%Y") if isinstance(v, date) else v or "" for v in example]
            )
            return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", f"{name}.csv"
        content = template_workbook(
            headers, example, sheet_title=kind_title(kind), hints=hints(kind)
        )
        return content, XLSX, f"{name}.xlsx"
