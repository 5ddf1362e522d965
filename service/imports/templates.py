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


def hints(kind: ImportKind) -> list[str]:
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
        example = [_example(kind, c.name, c.example) for c in layout.columns]
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
