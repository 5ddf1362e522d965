"""Date periods as the domain uses them: closed at both ends, an open end runs on."""

from datetime import date


def periods_overlap(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Closed periods overlap when each starts on or before the other ends (None = open)."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)
