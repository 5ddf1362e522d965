"""Registration rules, as pure functions (tested alone)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

TEMPORARY_MIN_MONTHS = 1
TEMPORARY_MAX_MONTHS = 12


def temporary_term_months(start: date, end: date) -> tuple[bool, bool]:
    """(too short, too long) for a temporary registration from ``start`` to ``end``.

    Temporary registration lasts 1 to 12 months. Source: Law on Population Migration
    art. 51 and the registration rules (docs/RULES.md). Terms are written as registrations
    are issued, "from 15 March to 15 March": from 15 March a term ends on 14 April at the
    earliest and on 15 March of the next year at the latest. When in doubt the rule accepts
    the registration, so a real one is never refused for a day.
    """
    too_short = end < start + relativedelta(months=TEMPORARY_MIN_MONTHS) - timedelta(days=1)
    too_long = end > start + relativedelta(months=TEMPORARY_MAX_MONTHS)
    return too_short, too_long
