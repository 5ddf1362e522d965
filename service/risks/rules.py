"""Early-warning rules: each a pure function of one student's facts as of a date.

Each returns a flag or None. Thresholds are configuration (``Thresholds``, from settings);
docs/RULES.md lists every rule with its threshold and source.
"""

from collections.abc import Callable

from service.risks.residence_rules import (
    dormitory_ending,
    housing_missing,
    permanent_registration_too_short,
    registered_outside_allowed,
    resettlement_window_closing,
    temporary_registration_expiring,
    unregistered,
)
from service.risks.rule_base import Flag, Thresholds, View
from service.risks.work_rules import (
    consent_missing,
    credited_gap,
    evidence_unverified,
    suspension_ending,
    work_not_started,
    work_outside_allowed,
)

__all__ = ["RULES", "Flag", "Thresholds", "View", "flags_for"]


RULES: tuple[Callable[[View, Thresholds], Flag | None], ...] = (
    unregistered,
    temporary_registration_expiring,
    registered_outside_allowed,
    permanent_registration_too_short,
    resettlement_window_closing,
    dormitory_ending,
    housing_missing,
    work_not_started,
    work_outside_allowed,
    credited_gap,
    suspension_ending,
    evidence_unverified,
    consent_missing,
)


def flags_for(v: View, t: Thresholds) -> list[Flag]:
    return [flag for rule in RULES if (flag := rule(v, t)) is not None]
