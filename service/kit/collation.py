"""Lists sorted as each language sorts them (ICU's collation): in Kazakh Ақмола comes before
Атырау and Қарағанды after Жамбыл, where sorting by code point puts every Kazakh letter
last."""

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

import icu

from service.kit.i18n import current_locale

T = TypeVar("T")


@cache
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale))


def collated(items: Iterable[T], name: Callable[[T], str], locale: str | None = None) -> list[T]:
    """``items`` in the order of their names in ``locale`` (default: the reader's)."""
    key = _collator(locale or current_locale.get()).getSortKey
    return sorted(items, key=lambda item: key(name(item)))
