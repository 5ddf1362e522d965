"""Registration rules, as pure functions (tested alone)."""

from datetime import date

from dateutil.relativedelta import relativedelta

TEMPORARY_MAX_MONTHS = 12


def temporary_registration_too_long(start: date, end: date) -> bool:
    """Temporary registration lasts 1 to 12 months.

    Source: Rules of registration of residence (Law on Population Migration art. 51;
    see docs/RULES.md). A term from 15 March may end on 15 March of the next year at most.
    """
    return end > start + relativedelta(months=TEMPORARY_MAX_MONTHS)
