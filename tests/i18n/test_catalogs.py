"""The catalogs are complete and current: every message in the sources is in the template,
and every message of the template is translated, unfuzzy, with the same placeholders, in
Kazakh, Russian and English."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from service.kit.i18n import LOCALE_DIR, LOCALES

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = ["_", "N_", "lazy_gettext", "ngettext:1,2", "sentence"]
PERCENT = re.compile(r"%\((\w+)\)[sd]")
BRACES = re.compile(r"\{(\w+)\}")
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog: Catalog) -> set[object]:
    return {m.id for m in catalog if m.id}


def _forms(value: object) -> list[str]:
    return list(value) if isinstance(value, tuple | list) else [str(value or "")]


def _placeholders(text: str) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(PERCENT.findall(text)), frozenset(BRACES.findall(text))


def test_the_template_is_current_with_the_sources(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    keywords = [arg for k in KEYWORDS for arg in ("--keywords", k)]
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            *("-q", "extract", "--mapping-file", "babel.cfg", *keywords),
            *("--no-location", "--omit-header", "--output-file", str(fresh), "."),
        ],
        cwd=ROOT,
        check=True,
    )
    committed = _ids(_read(LOCALE_DIR / "messages.pot"))
    extracted = _ids(_read(fresh))
    assert extracted - committed == set(), "new messages: run `make messages` and translate"
    assert committed - extracted == set(), "messages no longer used: run `make messages`"


def problems_in(catalog: Catalog, locale: str) -> list[str]:
    """What is wrong with a catalog: fuzzy or empty entries, placeholders that differ from
    the message id's, English left in a Kazakh or Russian entry, an English entry that is not
    its message id."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]}")
            continue
        allowed = {_placeholders(i) for i in ids}
        problems += [
            f"placeholders differ: {ids[0]!r} -> {s!r}"
            for s in strings
            if _placeholders(s) not in allowed
        ]
        if locale == "en" and strings[: len(ids)] != ids:
            problems.append(f"English differs from its message id: {ids[0]}")
        if locale != "en" and not all(CYRILLIC.search(s) for s in strings):
            problems.append(f"left in English: {ids[0]}")
    return problems


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    template = _ids(_read(LOCALE_DIR / "messages.pot"))
    catalog = _read(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    assert template - _ids(catalog) == set(), f"{locale}: run `make messages`"
    assert problems_in(catalog, locale) == []


def test_the_check_finds_each_fault() -> None:
    broken = Catalog(locale="ru")
    broken.add("No student %(student_id)s.", "Студент не найден.")
    broken.add("Field required", "Обязательное поле", flags=["fuzzy"])
    broken.add("Too many requests", "")
    broken.add("Not found", "Not found")
    broken.add("must not be before {start_field} ({start})", "не раньше {start}")
    assert problems_in(broken, "ru") == [
        "placeholders differ: 'No student %(student_id)s.' -> 'Студент не найден.'",
        "fuzzy: Field required",
        "untranslated: Too many requests",
        "left in English: Not found",
        "placeholders differ: 'must not be before {start_field} ({start})' -> 'не раньше {start}'",
    ]
    english = Catalog(locale="en")
    english.add("Not found", "Missing")
    assert problems_in(english, "en") == ["English differs from its message id: Not found"]
