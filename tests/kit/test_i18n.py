"""The reader's language: chosen per request, used by messages, dates, numbers and money,
in templates too; catalogs work without compiled files."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.kit import i18n
from service.kit.i18n import (
    LOCALE_COOKIE,
    LocaleMiddleware,
    current_locale,
    format_date,
    format_money,
    format_number,
    gettext,
    install_jinja,
    lazy_gettext,
    negotiate,
    ngettext,
    render,
    render_in,
    tidy,
    use_locale,
)
from service.kit.text import Month, Names, Text, sentence


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("ru-RU,ru;q=0.9", "ru"),
        ("kk-KZ,ru;q=0.8,en;q=0.5", "kk"),
        ("en-US,kk;q=0.9", "en"),
        ("de-DE,fr;q=0.8", "en"),
        ("fr,ru;q=0.5", "ru"),
        ("ru;q=0,kk;q=0.1", "kk"),
        ("kk;q=0.2,ru;q=0.7", "ru"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("ru;q=abc", "en"),
    ],
)
def test_negotiate(header: str | None, locale: str) -> None:
    assert negotiate(header) == locale


def test_messages_follow_the_current_locale() -> None:
    assert gettext("Not found") == "Not found"
    with use_locale("ru"):
        assert gettext("Not found") == "Не найдено"
        assert current_locale.get() == "ru"
    with use_locale("kk"):
        assert gettext("Not found") == "Табылмады"
    with use_locale("xx"):
        assert current_locale.get() == "en"
    assert gettext("a message nobody wrote") == "a message nobody wrote"


def test_plurals_follow_each_language() -> None:
    forms = ("%(count)s field failed validation.", "%(count)s fields failed validation.")
    with use_locale("ru"):
        assert [ngettext(*forms, n) % {"count": n} for n in (1, 3, 5)] == [
            "1 поле не прошло проверку.",
            "3 поля не прошли проверку.",
            "5 полей не прошли проверку.",
        ]
    assert ngettext(*forms, 2) % {"count": 2} == "2 fields failed validation."


def test_a_lazy_message_is_translated_when_read() -> None:
    constant = lazy_gettext("Forbidden")
    assert str(constant) == "Forbidden"
    with use_locale("ru"):
        assert str(constant) == "Доступ запрещён"


def test_local_forms() -> None:
    day = date(2024, 9, 1)
    with use_locale("ru"):
        assert format_date(day, "long") == "1 сентября 2024\u202fг."
        assert format_money(3_200_000) == "3\xa0200\xa0000\xa0₸"
        assert format_number(Decimal("1234.5")) == "1\xa0234,5"
    with use_locale("kk"):
        assert format_date(day, "long") == "2024\u202fж. 1 қыркүйек"
        assert format_money(3_200_000) == "3\xa0200\xa0000\xa0₸"
    assert format_date(day, "long") == "September 1, 2024"
    assert format_money(3_200_000) == "3,200,000\xa0₸"


def test_a_text_is_written_in_each_language_after_a_round_trip() -> None:
    astana = Names(kk="Астана қаласы", ru="город Астана", en="Astana")
    flag = sentence(
        "no credited month since %(month)s (%(last)s)",
        month=Month(date(2025, 2, 1)),
        last=sentence(
            "employer %(employer)s in %(region)s, outside the allowed regions",
            employer="Kaspi",
            region=astana,
        ),
    )
    stored = Text.from_json(flag.to_json())
    assert stored == flag
    assert render(stored) == (
        "no credited month since February 2025 "
        "(employer Kaspi in Astana, outside the allowed regions)"
    )
    with use_locale("ru"):
        assert render(stored) == (
            "нет засчитанных месяцев; первый незасчитанный: февраль 2025\u202fг. "
            "(работодатель Kaspi в регионе город Астана, вне разрешённых регионов)"
        )
    with use_locale("kk"):
        assert "Астана қаласы" in render(stored)


def test_templates_translate_and_format() -> None:
    env = jinja2.Environment(autoescape=True)
    install_jinja(env)
    page = env.from_string(
        "{{ _('Not found') }} | {{ day|date('long') }} | {{ amount|money }} | {{ n|number }}"
    )
    values = {"day": date(2024, 9, 1), "amount": 3_200_000, "n": 1234}
    with use_locale("ru"):
        assert page.render(**values) == (
            "Не найдено | 1 сентября 2024\u202fг. | 3\xa0200\xa0000\xa0₸ | 1\xa0234"
        )
    assert page.render(**values) == "Not found | September 1, 2024 | 3,200,000\xa0₸ | 1,234"
    trans = env.from_string("{% trans %}Not found{% endtrans %}")
    with use_locale("kk"):
        assert trans.render() == "Табылмады"


def test_a_catalog_without_its_compiled_file_is_compiled_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = i18n.LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po"
    target = tmp_path / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(source.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert not (target / "messages.mo").exists()
        with use_locale("ru"):
            assert gettext("Not found") == "Не найдено"
        with pytest.raises(RuntimeError, match="no message catalog for 'kk'"):
            i18n.translations("kk")
    finally:
        i18n.translations.cache_clear()


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"message": gettext("Not found"), "locale": current_locale.get()}

    app.add_middleware(LocaleMiddleware)
    return app


def test_the_middleware_chooses_by_cookie_then_header() -> None:
    client = TestClient(_app())
    plain = client.get("/hello")
    assert plain.json() == {"message": "Not found", "locale": "en"}
    assert plain.headers["Content-Language"] == "en"
    assert plain.headers["Vary"] == "Accept-Language, Cookie"
    russian = client.get("/hello", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert russian.json()["message"] == "Не найдено"
    assert russian.headers["Content-Language"] == "ru"
    client.cookies.set(LOCALE_COOKIE, "kk")
    chosen = client.get("/hello", headers={"Accept-Language": "ru"})
    assert chosen.json()["locale"] == "kk"
    client.cookies.set(LOCALE_COOKIE, "klingon")
    assert client.get("/hello", headers={"Accept-Language": "ru"}).json()["locale"] == "ru"
    assert current_locale.get() == "en"


def test_a_text_rendered_in_a_language_is_the_same_from_the_cache() -> None:
    """``render_in`` keeps the sentences it wrote; a value and an equal value of another type
    (1 and True) are different words, and a text inside a text is rendered, not cached."""
    need = sentence("worked %(days)s qualifying days; a month needs %(need)s", days=1, need=16)
    same = sentence("worked %(days)s qualifying days; a month needs %(need)s", days=True, need=16)
    assert (
        render_in(need, "en")
        == render_in(need, "en")
        == ("worked 1 qualifying days; a month needs 16")
    )
    assert render_in(same, "en") == "worked True qualifying days; a month needs 16"
    nested = sentence("%(reason)s: clock paused", reason=sentence("illness"))
    assert render_in(nested, "ru") != render_in(nested, "en") == "illness: clock paused"
    with use_locale("kk"):
        assert render_in(need, "en") == "worked 1 qualifying days; a month needs 16"
        assert current_locale.get() == "kk"
        assert render(need) != render_in(need, "en")


@pytest.mark.parametrize(
    ("said", "tidied"),
    [
        (
            "Работа должна начаться до 1 сентября 2024\u202fг..",
            "Работа должна начаться до 1 сентября 2024\u202fг.",
        ),
        ("По состоянию на 6 дек. 2026\u202fг.. Далее", "По состоянию на 6 дек. 2026\u202fг. Далее"),
        ("Wait... and see.", "Wait... and see."),
        ("(до 1 сентября 2024\u202fг.)", "(до 1 сентября 2024\u202fг.)"),
        ("v1.2.", "v1.2."),
    ],
)
def test_a_sentence_ends_with_one_full_stop(said: str, tidied: str) -> None:
    assert tidy(said) == tidied


def test_a_page_sentence_ending_in_a_russian_date_has_one_full_stop() -> None:
    environment = jinja2.Environment(autoescape=True)
    install_jinja(environment)
    template = environment.from_string('{{ _("As of %(day)s.", day=day|date) }}')
    with use_locale("ru"):
        shown = template.render(day=date(2026, 12, 6))
    assert shown.endswith("г."), shown
    assert not shown.endswith(".."), shown
