"""Early-warning rules: each a pure function of one student's facts as of a date.

Each returns a flag or None. Thresholds are configuration (``Thresholds``, from settings);
docs/RULES.md lists every rule with its threshold and source.
"""

from collections.abc import Callable
from dataclasses import replace

from service.enums import PRIORITY, RiskCode
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


# One flag per problem: where a flag says all another would, only the stronger is shown, with
# the higher severity of the two (docs/RULES.md, "Flags that exclude others").
EXCLUDES: dict[RiskCode, tuple[RiskCode, ...]] = {
    RiskCode.no_registration: (
        RiskCode.registration_outside_allowed_regions,
        RiskCode.permanent_registration_too_short,
    ),
    RiskCode.registration_outside_allowed_regions: (RiskCode.permanent_registration_too_short,),
    RiskCode.temporary_registration_expiring: (RiskCode.permanent_registration_too_short,),
    RiskCode.no_housing: (RiskCode.housing_unknown,),
    RiskCode.work_outside_allowed: (
        RiskCode.work_not_started,
        RiskCode.start_deadline_near,
        RiskCode.credited_gap,
    ),
}


def flags_for(v: View, t: Thresholds) -> list[Flag]:
    raised = [flag for rule in RULES if (flag := rule(v, t)) is not None]
    by_code = {flag.code: flag for flag in raised}
    for strong, weaker in EXCLUDES.items():
        if strong not in by_code:
            continue
        for code in weaker:
            excluded = by_code.pop(code, None)
            if (
                excluded is not None
                and PRIORITY[excluded.severity] < PRIORITY[by_code[strong].severity]
            ):
                by_code[strong] = replace(by_code[strong], severity=excluded.severity)
    return [by_code[f.code] for f in raised if f.code in by_code]
