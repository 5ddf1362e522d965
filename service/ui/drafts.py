"""A form sent after the session ended is not lost: its values are kept in a short-lived
signed cookie (a draft) bound to the account that typed them, and once that account signs in
again the page shows them, unsent, with a button to send them and one to discard them.

The draft is signed, so no one can plant one, and it is shown to the same account only:
another person signing in on the same browser never sees it."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from service.graduates.access import RECORD_SPECS
from service.kit.config import get_settings
from service.labels import label
from service.ui.session import PREFIX, delete_cookie, draft_cookie, set_cookie
from service.ui.words import field_labels

KEPT_SECONDS = 30 * 60
UNSHOWN = frozenset({"version", "next"})
_RECORD_FORM = re.compile(r"/(?:records|report)/([a-z-]+)(?:/[0-9]+)?$")
MOST_BYTES = 3500
"""A cookie holds about 4 KiB: a longer form is not kept (the sign-in page says so)."""


@dataclass(frozen=True)
class Draft:
    user_id: int
    action: str
    fields: list[tuple[str, str]]

    def shown(self, region_names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        """The fields as the page shows them: each by its label, a choice by its name (not
        its code), the empty ones and the form's own bookkeeping (the version it was opened
        on) left out."""
        names = field_labels()
        choices = _choices(self.action)
        return [
            (names.get(k, k.replace("_", " ")), _value(k, v, choices, region_names or {}))
            for k, v in self.fields
            if v.strip() and k not in UNSHOWN
        ]


def _choices(action: str) -> dict[str, type[Enum]]:
    """The form's fields that take one of a set of values, by the record its address adds."""
    found = _RECORD_FORM.search(action)
    spec = RECORD_SPECS.get(found[1]) if found else None
    if spec is None:
        return {}
    return {
        name: field.annotation
        for name, field in spec.create.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, Enum)
    }


def _value(
    name: str, value: str, choices: dict[str, type[Enum]], region_names: Mapping[str, str]
) -> str:
    if name.endswith("region_code"):
        return region_names.get(value, value)
    if name in choices:
        try:
            return label(choices[name](value))
        except ValueError:
            return value
    return value


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="serpin-draft")


def seal(draft: Draft) -> str | None:
    """The draft signed for its cookie; None when it is too long to keep."""
    value = _signer().dumps({"u": draft.user_id, "a": draft.action, "f": draft.fields})
    return value if len(value) <= MOST_BYTES else None


def keep(request: Request, response: Response, sealed: str) -> None:
    """Keep a sealed draft on the browser for ``KEPT_SECONDS``."""
    set_cookie(request, response, draft_cookie(), sealed, KEPT_SECONDS)


def kept(request: Request, user_id: int) -> Draft | None:
    """The draft this browser keeps for ``user_id``, if it is genuine and recent."""
    value = request.cookies.get(draft_cookie())
    if not value:
        return None
    try:
        data: Any = _signer().loads(value, max_age=KEPT_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id:
        return None
    action, fields = data.get("a"), data.get("f")
    if not isinstance(action, str) or not action.startswith(PREFIX + "/"):
        return None
    if not isinstance(fields, list):
        return None
    return Draft(user_id, action, [(str(k), str(v)) for k, v in fields])


def forget(response: Response) -> None:
    delete_cookie(response, draft_cookie())
