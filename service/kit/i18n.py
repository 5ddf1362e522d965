"""Languages (interim: English only until the catalogs land)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

import jinja2
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

LOCALES = ("kk", "ru", "en")
DEFAULT_LOCALE = "en"
LOCALE_COOKIE = "serpin_lang"
current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = current_locale.set(locale)
    try:
        yield
    finally:
        current_locale.reset(token)


def gettext(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


_ = gettext


def format_date(day: date, format: str = "medium") -> str:
    return _babel_date(day, format=format, locale=current_locale.get())


def format_datetime(moment: datetime, format: str = "medium") -> str:
    return _babel_datetime(moment, format=format, locale=current_locale.get())


def format_number(n: Any) -> str:
    return format_decimal(n, locale=current_locale.get())


def format_money(amount: Any) -> str:
    return f"{format_number(amount)} ₸"


def install_jinja(env: jinja2.Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=format_date, datetime=format_datetime, number=format_number, money=format_money
    )
