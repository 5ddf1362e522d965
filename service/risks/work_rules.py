"""Risk rules about work, pauses, evidence and consent: pure functions of one student's view.

docs/RULES.md lists each with its threshold and source.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from service.enums import ObligationStatus, RiskCode, Severity
from service.kit.text import Month, sentence
from service.obligations.ledger import MonthOutcome, MonthReason, pause_reason, why_not_credited
from service.risks.rule_base import Flag, Thresholds, View


def work_not_started(v: View, t: Thresholds) -> Flag | None:
    """Work must start by 1 September of the graduation year (Order No. 403). Up to the
    deadline nobody is late: a graduate still looking gets a reminder (``start_deadline_near``,
    severity ``info``, outside the risk counts) in the last ``start_warning_days`` (0: none);
    ``work_not_started`` begins the day after the deadline and escalates."""
    ob = v.obligation
    if ob is None or ob.status != ObligationStatus.pending_start:
        return None
    deadline = ob.terms.start_deadline
    late = (v.as_of - deadline).days
    if late <= 0:
        left = -late
        if left >= t.start_warning_days:
            return None
        return Flag(
            code=RiskCode.start_deadline_near,
            severity=Severity.info,
            since=deadline - timedelta(days=t.start_warning_days - 1),
            due=deadline,
            explanation=sentence(
                "no work recorded yet; work must start by %(deadline)s (today)", deadline=deadline
            )
            if left == 0
            else sentence(
                "no work recorded yet; work must start by %(deadline)s (%(left)s days left)",
                deadline=deadline,
                left=left,
            ),
            action=sentence(
                "Make sure the graduate has a job offer in the host region and records the "
                "job by the deadline."
            ),
        )
    if late <= t.start_escalation_days:
        severity, due = Severity.medium, deadline + timedelta(days=t.start_escalation_days + 1)
    elif late <= t.start_critical_days:
        severity, due = Severity.high, deadline + timedelta(days=t.start_critical_days + 1)
    else:
        severity, due = Severity.critical, None
    return Flag(
        code=RiskCode.work_not_started,
        severity=severity,
        since=deadline + timedelta(days=1),
        due=due,
        explanation=sentence(
            "no credited work; the deadline was %(deadline)s (%(late)s days late)",
            deadline=deadline,
            late=late,
        ),
        action=sentence(
            "Match the graduate with vacancies in the host region; record a job as soon as "
            "there is one."
        ),
    )


def work_outside_allowed(v: View, t: Thresholds) -> Flag | None:
    """Working, but where the programme does not credit the work."""
    ob = v.obligation
    if not v.duty_active or ob is None:
        return None
    active = [j for j in v.facts.jobs if j.start <= v.as_of and (j.end is None or v.as_of <= j.end)]
    if not active or any(why_not_credited(j, ob.terms) is None for j in active):
        return None
    job = max(active, key=lambda j: j.start)
    reason = why_not_credited(job, ob.terms)
    where = {
        MonthReason.outside_allowed_regions: sentence(
            "works at %(employer)s in %(region)s, outside the allowed regions: these months do "
            "not count",
            employer=job.employer_name,
            region=job.region_name,
        ),
        MonthReason.not_rural: sentence(
            "works at %(employer)s in a town, and this programme credits rural work only: "
            "these months do not count",
            employer=job.employer_name,
        ),
        MonthReason.part_time: sentence(
            "works at %(employer)s part-time, which is not credited: these months do not count",
            employer=job.employer_name,
        ),
    }
    return Flag(
        code=RiskCode.work_outside_allowed,
        severity=Severity.high,
        since=job.start,
        due=None,
        explanation=where[MonthReason(str(reason))],
        action=sentence(
            "Find a credited job in the host region, or ask the assignment commission about "
            "the grounds for release."
        ),
    )


def credited_gap(v: View, t: Thresholds) -> Flag | None:
    """Started serving, then the last months went uncredited (not paused)."""
    ob = v.obligation
    if ob is None or ob.status != ObligationStatus.serving or ob.started_on is None:
        return None
    if any(
        j.start <= v.as_of and (j.end is None or v.as_of <= j.end)
        for j in v.facts.jobs
        if why_not_credited(j, ob.terms) is None
    ):
        return None  # back in credited work: the gap is over, and no text says otherwise
    done = [m for m in ob.ledger.months if not m.provisional]
    tail = done[-t.gap_months :]
    if len(tail) < t.gap_months or any(m.outcome != MonthOutcome.not_credited for m in tail):
        return None
    gap = tail[0].month
    for m in reversed(done[: -t.gap_months]):
        if m.outcome != MonthOutcome.not_credited:
            break
        gap = m.month
    return Flag(
        code=RiskCode.credited_gap,
        severity=Severity.high,
        since=gap,
        due=None,
        explanation=sentence(
            "no credited month since %(month)s (%(last)s)",
            month=Month(gap),
            last=tail[-1].explanation,
        ),
        action=sentence("Contact the graduate: a lost job or a move may not have been reported."),
    )


def suspension_ending(v: View, t: Thresholds) -> Flag | None:
    """A pause of the clock (military service, child care) ends: work must resume."""
    if not v.duty_active:
        return None
    ending = [
        p
        for p in v.facts.pauses
        if p.end
        and p.start <= v.as_of <= p.end
        and (p.end - v.as_of).days <= t.suspension_ending_days
    ]
    if not ending:
        return None
    pause = ending[0]
    assert pause.end is not None
    return Flag(
        code=RiskCode.suspension_ending,
        severity=Severity.medium,
        since=pause.end - timedelta(days=t.suspension_ending_days),
        due=pause.end,
        explanation=sentence(
            "the suspension (%(reason)s) ends on %(end)s",
            reason=pause_reason(pause.reason),
            end=pause.end,
        ),
        action=sentence("Plan the return to credited work in the host region."),
    )


def evidence_unverified(v: View, t: Thresholds) -> Flag | None:
    """Months credited on evidence nobody has checked for half a year."""
    if not v.duty_active:
        return None
    stale = [
        j
        for j in v.facts.jobs
        if not j.verified and j.start + relativedelta(months=t.unverified_months) <= v.as_of
    ]
    if not stale:
        return None
    oldest = min(stale, key=lambda j: j.start)
    return Flag(
        code=RiskCode.evidence_unverified,
        severity=Severity.medium,
        since=oldest.start + relativedelta(months=t.unverified_months),
        due=None,
        explanation=sentence(
            "the job at %(employer)s since %(start)s is not verified",
            employer=oldest.employer_name,
            start=oldest.start,
        ),
        action=sentence(
            "Collect the contract or the employer's confirmation, or the graduate's consent "
            "to pension-contribution data, and verify."
        ),
    )


def consent_missing(v: View, t: Thresholds) -> Flag | None:
    """Without consent (SMS 1414: reply 511) no employment data reaches the Financial
    Center, and the graduate must bring documents."""
    ob = v.obligation
    if not v.duty_active or ob is None or v.facts.consent == "granted":
        return None
    refused = v.facts.consent == "refused"
    assert ob.enrolment.graduation is not None
    return Flag(
        code=RiskCode.no_data_sharing_consent,
        severity=Severity.medium if refused else Severity.low,
        since=ob.enrolment.graduation,
        due=None,
        explanation=sentence("the graduate refused to share employment data")
        if refused
        else sentence("consent to share employment data is not recorded"),
        action=sentence(
            "Ask the graduate to reply 511 to the 1414 SMS, or to bring the contract and "
            "the employer's confirmation."
        ),
    )
