"""Kazakh, Russian and English: the reader's language, the catalogs and local forms.

The language of a request is chosen once (``LocaleMiddleware``: the ``serpin_lang`` cookie,
else Accept-Language, else English) and held in ``current_locale``; ``gettext`` and the
formatters read it, so code inside a request writes ``_("...")`` and gets the reader's
language. Command-line jobs run in English unless they ``use_locale``.

Catalogs are gettext ``.po`` files under ``service/locale/`` (``make messages`` extracts and
updates them). The compiled ``.mo`` files are built by ``make env`` and not committed; where
one is missing or older than its ``.po`` (a fresh checkout, an edited catalog), the ``.po``
is compiled in memory at first use, so the service never speaks a stale catalog.
"""

import io
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.core import negotiate_locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_interval, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import LazyProxy, Translations
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.text import Month, Names, Text

if TYPE_CHECKING:
    import jinja2

logger = logging.getLogger(__name__)

LOCALES = ("kk", "ru", "en")
DEFAULT_LOCALE = "en"
LOCALE_COOKIE = "serpin_lang"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Speak ``locale`` inside the block (an unknown one: English)."""
    token = current_locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        current_locale.reset(token)


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header ("ru-RU,ru;q=0.9": ru)."""
    if not accept_language:
        return DEFAULT_LOCALE
    preferred: list[tuple[float, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            # Equal qualities keep the header's order (a stable sort on the negated quality).
            preferred.append((-quality + position * 1e-6, tag.replace("_", "-")))
    tags = [tag for _, tag in sorted(preferred)]
    for tag in tags:
        if tag == "*":
            return DEFAULT_LOCALE
        found = negotiate_locale([tag], LOCALES, sep="-")
        if found is not None:
            return str(found)
    return DEFAULT_LOCALE


def _compiled(po: Path) -> Translations:
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    logger.info("compiling %s in memory (no current .mo: run make env)", po.parent.parent.name)
    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(locale: str) -> Translations:
    """The catalog of a language; a missing catalog fails loudly, never silently English."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        raise RuntimeError(f"no message catalog for {locale!r} at {po}")
    return _compiled(po)


def gettext(message: str) -> str:
    return str(translations(current_locale.get()).ugettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return str(translations(current_locale.get()).ungettext(singular, plural, n))


_ = gettext


def lazy_gettext(message: str) -> LazyProxy:
    """A translation that is looked up when used, for module-level constants."""
    return LazyProxy(gettext, message, enable_cache=False)


def format_date(day: date, format: str = "medium") -> str:
    return str(_babel_date(day, format=format, locale=current_locale.get()))


def format_datetime(moment: datetime, format: str = "medium") -> str:
    return str(_babel_datetime(moment, format=format, locale=current_locale.get()))


def format_number(n: int | float | Decimal) -> str:
    return str(format_decimal(n, locale=current_locale.get()))


def format_money(amount: int | Decimal) -> str:
    """Tenge in the local form, whole tenge: "3 200 000 ₸" (English groups with commas)."""
    number = format_decimal(amount, format="#,##0", locale=current_locale.get())
    return f"{number}\u00a0₸"


def format_month(first_day: date) -> str:
    """A month and year in the reader's form ("September 2024" in English)."""
    return str(format_skeleton("yMMMM", first_day, locale=current_locale.get()))


def format_month_range(first_day: date, last_day: date) -> str:
    """Two months as one span in the reader's form (January to December 2026)."""
    if first_day == last_day:
        return format_month(first_day)
    return str(format_interval(first_day, last_day, "yMMMM", locale=current_locale.get()))


def month_of(written: str) -> date:
    """A month written ``YYYY-MM`` as its first day."""
    return date(int(written[:4]), int(written[5:7]), 1)


def text_date(day: date) -> str:
    """A date inside a sentence: "1 September 2024" in English, else the long local form."""
    return _text_date(day, current_locale.get())


@lru_cache(maxsize=1 << 14)
def _text_date(day: date, locale: str) -> str:
    # Babel's formatting is slow, and a rescan writes the same few deadlines a million times.
    if locale == "en":
        return str(_babel_date(day, format="d MMMM y", locale=locale))
    return str(_babel_date(day, format="long", locale=locale))


_DOUBLED_STOP = re.compile(r"(?<=[^.]\.)\.(?=\s|$)")


def tidy(text: str) -> str:
    """A sentence ending in an abbreviation (a Russian date's "g.", "6 Dec. 2026") ends with
    one full stop: a message's own stop after a value that already ends with one is dropped."""
    return _DOUBLED_STOP.sub("", text)


def render(message: Text) -> str:
    """A ``Text`` in the current language: its parameters in the local form first."""
    translated = gettext(message.msgid)
    if not message.params:
        return translated
    return tidy(translated % {name: _param(value) for name, value in message.params.items()})


def _param(value: Any) -> Any:
    if isinstance(value, Text):
        return render(value)
    if isinstance(value, Month):
        return format_month(value.first_day)
    if isinstance(value, Names):
        return value.get(current_locale.get())
    if isinstance(value, date):
        return text_date(value)
    return value


def render_in(message: Text, locale: str) -> str:
    try:
        # Each value with its type: 1 and True are equal keys but different words.
        params = tuple((k, type(v), v) for k, v in message.params.items())
        return _rendered_in(message.msgid, params, locale)
    except TypeError:  # a parameter that is itself a text: not a cache key
        with use_locale(locale):
            return render(message)


@lru_cache(maxsize=1 << 14)
def _rendered_in(msgid: str, params: tuple[tuple[str, type, Any], ...], locale: str) -> str:
    # Every stored flag keeps its English sentence, and a rescan writes the same few
    # sentences a million times.
    with use_locale(locale):
        return render(Text(msgid, {k: v for k, _type, v in params}))


def install_jinja(env: "jinja2.Environment") -> None:
    """Templates translate with ``{{ _("...") }}``/``{% trans %}`` in the request's language
    and show dates, numbers and money in its local form."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True
    )
    # Imported here: the kit serves the command line too, which draws no page.
    from jinja2 import pass_context

    formatted: Any = env.globals["gettext"]

    @pass_context
    def tidy_gettext(context: Any, message: str, **variables: Any) -> Any:
        said = formatted(context, message, **variables)
        return type(said)(tidy(said)) if variables else said

    env.globals["gettext"] = env.globals["_"] = tidy_gettext
    env.filters["date"] = format_date
    env.filters["datetime"] = format_datetime
    env.filters["number"] = format_number
    env.filters["money"] = format_money


def locale_of(scope: Scope) -> str:
    headers = Headers(scope=scope)
    chosen = cookie_parser(headers.get("cookie", "")).get(LOCALE_COOKIE)
    if chosen in LOCALES:
        return chosen
    return negotiate(headers.get("accept-language"))


class LocaleMiddleware:
    """Each request speaks its reader's language: the ``serpin_lang`` cookie if it names
    one of ours, else Accept-Language, else English. Responses say which, and that they
    vary by both."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale = locale_of(scope)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Language"] = locale
                vary = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
                for name in ("Accept-Language", "Cookie"):
                    if name.lower() not in (v.lower() for v in vary):
                        vary.append(name)
                headers["Vary"] = ", ".join(vary)
            await send(message)

        token = current_locale.set(locale)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            current_locale.reset(token)


def check_catalogs() -> Mapping[str, int]:
    """Load every catalog now (start-up): a broken one stops the service, not a request."""
    return {locale: len(translations(locale)._catalog) for locale in LOCALES}
