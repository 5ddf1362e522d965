"""A sentence to be written in its reader's language: a message id and its parameters.

Pure values (no translation, database or framework here), so the pure rules can say what
they mean and the reader's language is chosen when the sentence is read: a risk flag is
stored as a ``Text`` in JSON and rendered per request (``service.kit.i18n.render``).

A parameter is a plain value (text, number), a ``date`` (written in the reader's date
form), a ``Month``, a ``Names`` (a place named in each language) or another ``Text``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def N_(message: str) -> str:
    """Marks a message for extraction without translating it (it is translated when read)."""
    return message


@dataclass(frozen=True)
class Month:
    """A calendar month, written as "September 2024" in the reader's language."""

    first_day: date


@dataclass(frozen=True)
class Names:
    """A name in each language (a region); written in the reader's, else English."""

    kk: str
    ru: str
    en: str

    def get(self, locale: str) -> str:
        return str(getattr(self, locale, "") or self.en)


@dataclass(frozen=True)
class Text:
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.msgid, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Text":
        return cls(str(data["id"]), {k: _decode(v) for k, v in data.get("params", {}).items()})


def sentence(msgid: str, **params: Any) -> Text:
    return Text(msgid, params)


def _encode(value: Any) -> Any:
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, Month):
        return {"month": value.first_day.isoformat()}
    if isinstance(value, Names):
        return {"names": {"kk": value.kk, "ru": value.ru, "en": value.en}}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, str | int):
        return value
    raise TypeError(f"a text parameter cannot be a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "text" in value:
        return Text.from_json(value["text"])
    if "month" in value:
        return Month(date.fromisoformat(value["month"]))
    if "names" in value:
        return Names(**value["names"])
    return date.fromisoformat(value["date"])
