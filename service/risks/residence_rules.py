"""Risk rules about registration and housing: pure functions of one student's view.

docs/RULES.md lists each with its threshold and source.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from service.enums import RiskCode, Severity
from service.kit.text import sentence
from service.risks.rule_base import SETTLED_HOUSING, Flag, Thresholds, View


def unregistered(v: View, t: Thresholds) -> Flag | None:
    """No registration where the graduate lives or works. Register within 10 calendar days
    of arrival; over a month unregistered is fined 7 MRP (Law on Population Migration)."""
    if not v.duty_active:
        return None
    jobs = [j for j in v.facts.jobs if j.start <= v.as_of and (j.end is None or v.as_of <= j.end)]
    places = [(j.start, j.region_code) for j in jobs]
    places += [
        (h.start, h.region_code)
        for h in v.covering(v.facts.housing)
        if h.kind not in ("none", "dormitory") and h.region_code
    ]
    if not places:
        return None
    arrival, region = max(places)
    if any(r.region_code == region for r in v.covering(v.facts.registrations)):
        return None
    days = (v.as_of - arrival).days
    if days <= t.registration_warning_days:
        return None
    fined = days > t.registration_fine_days
    return Flag(
        code=RiskCode.no_registration,
        severity=Severity.high if fined else Severity.medium,
        since=arrival + timedelta(days=t.registration_warning_days),
        due=None if fined else arrival + timedelta(days=t.registration_fine_days),
        explanation=sentence(
            "not registered in %(region)s %(days)s days after arriving on %(arrival)s; over a "
            "month unregistered is fined 7 MRP",
            region=v.name(region),
            days=days,
            arrival=arrival,
        )
        if fined
        else sentence(
            "not registered in %(region)s %(days)s days after arriving on %(arrival)s",
            region=v.name(region),
            days=days,
            arrival=arrival,
        ),
        action=sentence(
            "Register at the address of residence (eGov, with the owner's or tenant's "
            "consent) and record it here."
        ),
    )


def temporary_registration_expiring(v: View, t: Thresholds) -> Flag | None:
    """The only registration is temporary and ends soon (temporary terms last 1-12 months)."""
    current = v.covering(v.facts.registrations)
    if not current or any(r.kind == "permanent" for r in current):
        return None
    end = max(r.end for r in current if r.end is not None) if current else None
    if end is None or (end - v.as_of).days > t.temporary_expiry_days:
        return None
    return Flag(
        code=RiskCode.temporary_registration_expiring,
        severity=Severity.medium,
        since=end - timedelta(days=t.temporary_expiry_days),
        due=end,
        explanation=sentence(
            "the temporary registration ends on %(end)s and no other follows", end=end
        ),
        action=sentence(
            "Extend the temporary registration or register permanently before it ends."
        ),
    )


def registered_outside_allowed(v: View, t: Thresholds) -> Flag | None:
    """Registered only outside the regions where the programme's work counts."""
    if not v.duty_active or v.obligation is None:
        return None
    allowed = v.obligation.terms.allowed_regions
    current = v.covering(v.facts.registrations)
    if not current or any(r.region_code in allowed for r in current):
        return None
    latest = max(current, key=lambda r: r.start)
    # A registration from childhood matters from graduation on, not from the year it began.
    since = max(latest.start, v.obligation.enrolment.graduation or latest.start)
    return Flag(
        code=RiskCode.registration_outside_allowed_regions,
        severity=Severity.medium,
        since=since,
        due=None,
        explanation=sentence(
            "registered in %(region)s, outside the regions where the work-off counts, since "
            "%(since)s",
            region=v.name(latest.region_code),
            since=since,
        ),
        action=sentence(
            "Check whether the graduate has left the host region; find work and housing "
            "there before months are lost."
        ),
    )


def permanent_registration_too_short(v: View, t: Thresholds) -> Flag | None:
    """Housing support asks for permanent registration in the city for a year or more
    (Financial Center, 2025; youth rental housing 1-2 years)."""
    if not v.duty_active or v.obligation is None:
        return None
    if any(h.kind in SETTLED_HOUSING for h in v.covering(v.facts.housing)):
        return None
    allowed = v.obligation.terms.allowed_regions
    permanent = [
        r
        for r in v.covering(v.facts.registrations)
        if r.kind == "permanent" and r.region_code in allowed
    ]
    need = t.permanent_registration_months
    if not permanent:
        return Flag(
            code=RiskCode.permanent_registration_too_short,
            severity=Severity.low,
            since=v.as_of,
            due=None,
            explanation=sentence(
                "no permanent registration in the host region; housing support asks for "
                "%(need)s months of it",
                need=need,
            ),
            action=sentence(
                "Help the graduate register permanently (a landlord's or employer's consent) "
                "so the wait for housing support can start."
            ),
        )
    start = min(r.start for r in permanent)
    eligible = start + relativedelta(months=need)
    if eligible <= v.as_of:
        return None
    return Flag(
        code=RiskCode.permanent_registration_too_short,
        severity=Severity.low,
        since=start,
        due=eligible,
        explanation=sentence(
            "permanently registered since %(start)s; housing support asks for %(need)s "
            "months, reached on %(eligible)s",
            start=start,
            need=need,
            eligible=eligible,
        ),
        action=sentence(
            "Prepare the housing-support application for the day the registration is long enough."
        ),
    )


def resettlement_window_closing(v: View, t: Thresholds) -> Flag | None:
    """Serpin graduates keep the resettlement quota if they apply to the receiving region's
    career centre within 6 months of graduation (RULES.md, resettlement quota). The window is
    the programme rule's (``resettlement_window_months``): a programme without one has none."""
    ob = v.obligation
    if not v.duty_active or ob is None or ob.enrolment.graduation is None:
        return None
    window = ob.rule.resettlement_window_months
    if window is None:
        return None
    if any(a.kind == "resettlement_support" for a in v.facts.applications):
        return None
    closes = ob.enrolment.graduation + relativedelta(months=window)
    left = (closes - v.as_of).days
    if left < 0 or left > t.resettlement_warning_days:
        return None
    return Flag(
        code=RiskCode.resettlement_window_closing,
        severity=Severity.high if left <= t.resettlement_warning_days // 2 else Severity.medium,
        since=closes - timedelta(days=t.resettlement_warning_days),
        due=closes,
        explanation=sentence(
            "the resettlement-support window closes on %(closes)s (%(left)s days) and no "
            "application is recorded",
            closes=closes,
            left=left,
        ),
        action=sentence(
            "Apply for resettlement support (relocation subsidy, rent) at the receiving "
            "region's career centre."
        ),
    )


def dormitory_ending(v: View, t: Thresholds) -> Flag | None:
    """Dormitory places end with the academic year, before the 1 September work start."""
    dorms = [h for h in v.covering(v.facts.housing) if h.kind == "dormitory" and h.end]
    if not dorms:
        return None
    end = max(h.end for h in dorms if h.end is not None)
    if (end - v.as_of).days > t.dormitory_warning_days:
        return None
    if any(h.start > v.as_of and h.kind != "none" for h in v.facts.housing):
        return None
    return Flag(
        code=RiskCode.dormitory_ending_without_housing,
        severity=Severity.high,
        since=end - timedelta(days=t.dormitory_warning_days),
        due=end,
        explanation=sentence(
            "the dormitory place ends on %(end)s and no next housing is recorded", end=end
        ),
        action=sentence(
            "Arrange the next housing (rent, employer housing, relatives) and apply for "
            "rent support."
        ),
    )


def housing_missing(v: View, t: Thresholds) -> Flag | None:
    """No housing, or none recorded: the main reason graduates never arrive or leave early."""
    if not v.duty_active or v.obligation is None:
        return None
    current = v.covering(v.facts.housing)
    if any(h.kind == "none" for h in current):
        start = max(h.start for h in current if h.kind == "none")
        return Flag(
            code=RiskCode.no_housing,
            severity=Severity.high,
            since=start,
            due=None,
            explanation=sentence("reported without housing since %(start)s", start=start),
            action=sentence(
                "Find housing now: employer housing, rent support, the rental housing queue."
            ),
        )
    if current:
        return None
    ended = [h.end for h in v.facts.housing if h.end is not None and h.end < v.as_of]
    since = max(ended) + timedelta(days=1) if ended else v.obligation.enrolment.graduation
    assert since is not None
    return Flag(
        code=RiskCode.housing_unknown,
        severity=Severity.medium,
        since=since,
        due=None,
        explanation=sentence("no current housing is recorded"),
        action=sentence("Ask the graduate where they live and record it."),
    )
