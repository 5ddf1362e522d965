"""A student evaluated as of a date: every obligation, and the risk flags of the live one.

Pure: plain facts in, plain results out. The API's live views, the statistics and the stored
evaluations all call this one function, so they cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date

from service.kit.text import Names
from service.obligations.engine import ObligationResult, evaluate, graduated, rule_for
from service.obligations.facts import EnrolmentFacts, RuleFacts, StudentFacts
from service.risks.rule_base import Flag, Thresholds, View
from service.risks.rules import flags_for


@dataclass(frozen=True)
class Context:
    """What evaluating anyone needs beside their own facts."""

    rules: list[RuleFacts]
    names: dict[str, Names]
    thresholds: Thresholds


@dataclass
class Evaluation:
    obligations: list[ObligationResult] = field(default_factory=list)
    flags: list[tuple[Flag, EnrolmentFacts | None]] = field(default_factory=list)


def evaluate_student(facts: StudentFacts, context: Context, as_of: date) -> Evaluation:
    """Every obligation of the student and the flags of the live one, as of ``as_of``."""
    result = Evaluation()
    for enrolment in graduated(facts):
        rule = rule_for(context.rules, enrolment)
        if rule is not None and enrolment.graduation is not None and enrolment.graduation <= as_of:
            result.obligations.append(evaluate(facts, enrolment, rule, as_of))
    current = facts.current_enrolment
    live = next((o for o in result.obligations if current and o.enrolment.id == current.id), None)
    view = View(
        facts=facts, enrolment=current, obligation=live, as_of=as_of, region_names=context.names
    )
    result.flags = [(flag, current) for flag in flags_for(view, context.thresholds)]
    return result
