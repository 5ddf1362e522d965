"""Date periods as the domain uses them: closed at both ends, an open end runs on."""

from datetime import date


def periods_overlap(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Whether two periods overlap by at least one day beyond a hand-over.

    The end day of a period is the day the next may begin: moving out of the dormitory and
    into a flat on 1 July (one ending on 1 July, the next starting on 1 July) is normal life,
    not an overlap [A]. Two periods that start on the same day, or one that starts before the
    other has ended, do overlap. ``None`` is an open end.
    """
    if b_start < a_start:
        a_start, a_end, b_start, b_end = b_start, b_end, a_start, a_end
    if a_start == b_start:
        return True
    return a_end is None or b_start < a_end
