"""Kazakhstan's 12-digit identifiers: IIN for people, BIN for organisations.

Source: Government Decree No. 565 of 2003 on national identification numbers (the IIN/BIN
structure and the check digit), as summarised in ``docs/RULES.md``.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from service.enums import Sex
from service.kit.text import N_

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


class IdentifierError(ValueError):
    """Why a number is not a valid identifier; ``code`` is stable for machines."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for 11 digits, or None when the number is never issued.

    Weights 1..11, mod 11; if that gives 10, weights 3..11,1,2, mod 11; 10 again means
    no valid number has these digits.
    """
    digits = [int(c) for c in first_eleven]
    total = sum(d * w for d, w in zip(digits, _FIRST_WEIGHTS, strict=True)) % 11
    if total == 10:
        total = sum(d * w for d, w in zip(digits, _SECOND_WEIGHTS, strict=True)) % 11
        if total == 10:
            return None
    return total


def _check_shape_and_digit(number: str, kind: str) -> None:
    # ASCII digits only: str.isdigit() also takes Arabic-Indic, fullwidth and superscript ones.
    if not _TWELVE_DIGITS.fullmatch(number):
        message = {
            "IIN": N_("IIN must be exactly 12 digits."),
            "BIN": N_("BIN must be exactly 12 digits."),
        }[kind]
        raise IdentifierError(f"{kind.lower()}_format", message)
    expected = check_digit(number[:11])
    if expected is None or expected != int(number[11]):
        message = {
            "IIN": N_("IIN check digit is wrong."),
            "BIN": N_("BIN check digit is wrong."),
        }[kind]
        raise IdentifierError(f"{kind.lower()}_check_digit", message)


@dataclass(frozen=True)
class IinFacts:
    birth_date: date
    sex: Sex


_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


@lru_cache(maxsize=8192)
def parse_iin(iin: str) -> IinFacts:
    """Validate an IIN and read the birth date and sex it encodes.

    Digits 1-6: YYMMDD of birth; digit 7: century and sex (1/2 1800s, 3/4 1900s, 5/6 2000s;
    odd male, even female); digits 8-11: serial; digit 12: check digit.
    """
    _check_shape_and_digit(iin, "IIN")
    marker = int(iin[6])
    if marker not in _CENTURY:
        raise IdentifierError("iin_century", N_("IIN 7th digit must be 1-6 (century and sex)."))
    year = _CENTURY[marker] + int(iin[0:2])
    try:
        born = date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError as exc:
        raise IdentifierError(
            "iin_birth_date", N_("IIN does not encode a real birth date.")
        ) from exc
    return IinFacts(birth_date=born, sex=Sex.male if marker % 2 else Sex.female)


BIN_ENTITY_TYPES = {
    4: "resident legal entity",
    5: "non-resident legal entity",
    6: "joint venture IE",
}
BIN_UNIT_TYPES = {0: "head office", 1: "branch", 2: "representative office", 3: "peasant farm"}


def validate_bin(bin_: str) -> str:
    """Validate a BIN: YYMM registered, entity type (4/5/6), unit (0-3), serial, check digit."""
    _check_shape_and_digit(bin_, "BIN")
    month = int(bin_[2:4])
    if not 1 <= month <= 12:
        raise IdentifierError(
            "bin_month", N_("BIN digits 3-4 must be a registration month (01-12).")
        )
    if int(bin_[4]) not in BIN_ENTITY_TYPES:
        raise IdentifierError(
            "bin_entity_type", N_("BIN 5th digit must be 4, 5 or 6 (entity type).")
        )
    if int(bin_[5]) not in BIN_UNIT_TYPES:
        raise IdentifierError("bin_unit_type", N_("BIN 6th digit must be 0-3 (unit type)."))
    return bin_


def make_iin(birth_date: date, sex: Sex, serial: int) -> str | None:
    """An IIN for a birth date, sex and 4-digit serial; None when those digits are never issued."""
    century_base = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100]
    marker = century_base + (0 if sex == Sex.male else 1)
    body = f"{birth_date:%y%m%d}{marker}{serial:04d}"
    digit = check_digit(body)
    return None if digit is None else body + str(digit)


def make_bin(registered: date, entity_type: int, unit_type: int, serial: int) -> str | None:
    """A BIN for a registration month, entity and unit type and serial; None if never issued."""
    body = f"{registered:%y%m}{entity_type}{unit_type}{serial:05d}"
    digit = check_digit(body)
    return None if digit is None else body + str(digit)
