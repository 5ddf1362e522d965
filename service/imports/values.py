"""Cells as people type them, read into the values the API takes: dates written
``30.06.2024`` or kept as Excel dates, an IIN that Excel turned into a number, a status or a
kind named in any of the three languages, yes/no in any of them. A cell that cannot be read
is a field error in the reader's language, never a guess."""

import math
import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from service.enums import Sex
from service.imports.files import Cell
from service.kit.i18n import LOCALES, _, gettext, use_locale
from service.labels import LABELS


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_DOTTED = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# Excel counts days from 30 December 1899 (its phantom 29 February 1900 included).
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def text(value: Cell) -> str:
    """A cell as text: whole numbers without the ``.0`` a spreadsheet adds."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def digits(value: Cell, width: int = 12) -> str:
    """An IIN or a BIN: a number loses its leading zeros in Excel, so they are put back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = text(value)
        return number.zfill(width) if number.isdigit() else number
    return re.sub(r"[\s\u00a0]", "", text(value))


def day(value: Cell) -> date:
    """``DD.MM.YYYY``, ``DD/MM/YYYY``, ``YYYY-MM-DD``, an Excel date, or Excel's serial number
    of a date stored as a number."""
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not (isinstance(value, int) or math.isfinite(value)) or not 1 <= value <= 80_000:
            raise _not_a_date()
        serial = int(value)
        if serial != value:
            raise _not_a_date()
        found = date.fromordinal(_EXCEL_EPOCH + serial)
    else:
        written = text(value)
        if match := _DOTTED.fullmatch(written):
            d, m, y = (int(g) for g in match.groups())
        elif match := _ISO.fullmatch(written):
            y, m, d = (int(g) for g in match.groups())
        else:
            raise _not_a_date()
        try:
            found = date(y, m, d)
        except ValueError:
            # Written as a date, but no such day (31.02.2025): say that, not "write it so".
            raise CellError(
                "date_impossible",
                _("There is no such day: %(written)s.") % {"written": written},
            ) from None
    return found


def _not_a_date() -> CellError:
    return CellError("date_format", _("Not a date: write it as DD.MM.YYYY."))


LARGEST = Decimal(2**63 - 1)
"""No amount or id in a record is larger (nor a 64-bit column)."""
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})")


def amount(value: Cell) -> Decimal:
    """``1 000 000``, ``1000000,50``, or a number; plain digits only (no exponent, no
    infinity), and within what a record can hold."""
    if isinstance(value, bool):
        raise _not_a_number()
    if isinstance(value, float) and not math.isfinite(value):
        raise _not_a_number()
    if isinstance(value, int | float):
        found = Decimal(str(value))
    else:
        written = re.sub(r"[\s\u00a0]|(?i:kzt|тг|тенге|теңге|₸)", "", text(value))
        written = written.replace(",", ".")
        if not _PLAIN_NUMBER.fullmatch(written):
            raise _not_a_number()
        found = Decimal(written)
    if not found.is_finite() or abs(found) > LARGEST:
        raise _not_a_number()
    return found


def whole(value: Cell) -> int:
    found = amount(value)
    if found != found.to_integral_value():
        raise _not_a_number()
    return int(found)


def _not_a_number() -> CellError:
    return CellError("number_format", _("Not a number."))


_YES = {"yes", "y", "true", "1", "+", "да", "д", "иә", "ия", "full", "полная", "толық"}
_NO = {"no", "n", "false", "0", "-", "нет", "н", "жоқ", "part", "неполная", "толық емес"}


def yes_no(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    written = text(value).casefold()
    if written in _YES:
        return True
    if written in _NO:
        return False
    raise CellError("boolean_format", _("Write yes or no."))


# Spellings beyond the labels: the letters forms use.
_EXTRA: dict[Enum, tuple[str, ...]] = {
    Sex.male: ("m", "м", "муж", "мужской", "ер", "ер адам"),
    Sex.female: ("f", "ж", "жен", "женский", "әйел", "қыз"),
}


def _key(written: str) -> str:
    return re.sub(r"[\s_\-]+", " ", written.casefold().replace("ё", "е")).strip()


@cache
def _members(enum: type[Enum]) -> dict[str, Enum]:
    found: dict[str, Enum] = {}
    for member in enum:
        names = {str(member.value), str(member.value).replace("_", " "), *_EXTRA.get(member, ())}
        for locale in LOCALES:
            with use_locale(locale):
                names.add(gettext(LABELS[enum][member.value]) if enum in LABELS else "")
        for name in names - {""}:
            found.setdefault(_key(name), member)
    return found


def _by_first_words(enum: type[Enum], key: str) -> Enum | None:
    """The one member a label begins with these words of ("постоянная" for "постоянная
    регистрация"), or None when no member or several do."""
    if len(key) < 3:
        return None
    found = {m for name, m in _members(enum).items() if name.startswith(key + " ")}
    return found.pop() if len(found) == 1 else None


def member(enum: type[Enum], value: Cell) -> Any:
    """A member named by its value, by its label in Kazakh, Russian or English, or by the
    first words of one label alone."""
    key = _key(text(value))
    found = _members(enum).get(key) or _by_first_words(enum, key)
    if found is None:
        choices = ", ".join(label_of(m) for m in enum)
        raise CellError(
            "unknown_choice",
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text(value), "choices": choices},
        )
    return found.value


def label_of(item: Enum) -> str:
    return gettext(LABELS[type(item)][item.value]) if type(item) in LABELS else str(item.value)
