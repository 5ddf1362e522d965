"""The programme, and one of its obligation rules, named in the path."""

from typing import Annotated

from fastapi import Depends

from service.kit.errors import NotFound
from service.kit.fields import IdPath
from service.kit.unit_of_work import SessionDep
from service.models.programmes import ObligationRule, Programme


async def get_programme(session: SessionDep, programme_id: IdPath) -> Programme:
    programme = await session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"No programme {programme_id}.")
    return programme


ProgrammeDep = Annotated[Programme, Depends(get_programme)]


async def get_rule(session: SessionDep, programme: ProgrammeDep, rule_id: IdPath) -> ObligationRule:
    rule = await session.get(ObligationRule, rule_id)
    if rule is None or rule.programme_id != programme.id:
        raise NotFound(f"No rule {rule_id} in programme {programme.id}.")
    return rule


RuleDep = Annotated[ObligationRule, Depends(get_rule)]
