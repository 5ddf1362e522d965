"""Jinja2 for the pages: autoescaped, translated (gettext through ``kit.i18n``), with the labels
of the domain's enums as a global."""

import copy
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.numbers import format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.kit.i18n import LOCALES, current_locale, install_jinja
from service.ui import drafts
from service.ui.session import csrf_cookie, set_cookie
from service.ui.words import TEMPLATE_GLOBALS

HERE = Path(__file__).parent
SESSION_AGE = 24 * 3600
environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def percent(share: float) -> str:
    """A share (0.625) as a percentage with one decimal, in the reader's own form: 62.5%,
    62,5 %."""
    locale = current_locale.get()
    pattern = copy.copy(Locale.parse(locale).percent_formats[None])
    pattern.frac_prec = (1, 1)
    return format_percent(share, format=pattern, locale=locale)


def sentence_start(text: str) -> str:
    """A label opening a sentence: its first letter a capital ("отрабатывает" opens as
    "Отрабатывает"), the rest as written (unlike ``capitalize``, which lowers it)."""
    return text[:1].upper() + text[1:]


install_jinja(environment)
environment.filters.update(percent=percent, sentence_start=sentence_start)
environment.globals.update(TEMPLATE_GLOBALS)
templates = Jinja2Templates(env=environment)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page: the template with what every page needs (the signed-in user, the form token,
    the language and the languages to switch to)."""
    page = getattr(request.state, "page", None)
    user = getattr(page, "principal", None)
    base = {
        "user": user,
        "draft": drafts.kept(request, user.user_id) if user is not None else None,
        "csrf_token": getattr(page, "csrf_token", ""),
        "locale": current_locale.get(),
        "locales": LOCALES,
        "path": request.url.path,
        "query": request.url.query,
    }
    response = templates.TemplateResponse(
        request, name, base | (context or {}), status_code=status_code
    )
    # A page is personal: never kept by a shared cache, never framed; scripts of its own only.
    response.headers["Cache-Control"] = "no-store"
    # Forms name this page as their origin (with no-referrer a browser sends "Origin: null",
    # which the form check refuses); other sites are still told nothing.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    if page is not None and page.new_csrf:
        set_cookie(request, response, csrf_cookie(), page.csrf_nonce, age=SESSION_AGE)
    return response
