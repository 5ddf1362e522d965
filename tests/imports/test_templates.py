"""The templates a career centre fills in: each language's example row is written in that
language, saves in every encoding the import reads for it, and the requirements that hang on
another cell are written out."""

import csv
import io

import pytest

from service.imports.columns import LAYOUTS, ImportKind
from service.imports.templates import ENCODINGS, hints, template_file
from service.kit.i18n import LOCALES, use_locale

KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def _rows(kind: ImportKind, locale: str) -> list[list[str]]:
    content, _media, _name = template_file(kind, locale, "csv")
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter="," if locale == "en" else ";"))


@pytest.mark.parametrize("kind", list(ImportKind))
@pytest.mark.parametrize("locale", LOCALES)
def test_every_example_row_encodes_in_each_encoding_offered_for_its_language(
    kind: ImportKind, locale: str
) -> None:
    header, example = _rows(kind, locale)
    assert any(example), "the template has an example row"
    for encoding in ENCODINGS[locale]:
        for cell in header + example:
            cell.encode(encoding)  # raises UnicodeEncodeError if it cannot be saved so


@pytest.mark.parametrize("kind", list(ImportKind))
def test_the_russian_and_english_examples_hold_no_kazakh_letter(kind: ImportKind) -> None:
    for locale in ("ru", "en"):
        written = "".join(_rows(kind, locale)[1])
        assert not set(written) & KAZAKH_LETTERS, (locale, written)


def test_the_kazakh_example_is_written_in_kazakh() -> None:
    header, example = _rows(ImportKind.graduates, "kk")
    row = dict(zip(header, example, strict=True))
    assert row["Аты *"] == "Әйгерім"
    assert row["Мамандық *"] == "Математика мұғалімі"


def test_kazakh_is_not_offered_in_windows_1251() -> None:
    assert "cp1251" not in ENCODINGS["kk"]
    with pytest.raises(UnicodeEncodeError):
        "Әйгерім".encode("cp1251")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_conditional_requirements_are_written_in_each_language(locale: str) -> None:
    graduates = LAYOUTS[ImportKind.graduates]
    with use_locale(locale):
        notes = hints(ImportKind.graduates)
        registrations = hints(ImportKind.registrations)
    consent = graduates.column("consent_date").header(locale)
    assert any(n.startswith(f"{consent}:") for n in notes), notes
    end = LAYOUTS[ImportKind.registrations].column("end_date").header(locale)
    assert any(n.startswith(f"{end}:") for n in registrations), registrations
    if locale != "en":
        assert "required when" not in " ".join(notes)


def test_a_registrations_place_is_marked_required() -> None:
    header, _example = _rows(ImportKind.registrations, "en")
    assert {"Address *", "Settlement *", "Region *"} <= set(header)
