"""The programme, and one of its obligation rules, named in the path."""

from typing import Annotated

from fastapi import Depends

from service.kit.errors import NotFound
from service.kit.fields import IdPath
from service.kit.i18n import _
from service.kit.unit_of_work import SessionDep
from service.models.programmes import ObligationRule, Programme


async def get_programme(session: SessionDep, programme_id: IdPath) -> Programme:
    programme = await session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(_("No programme %(programme_id)s.") % {"programme_id": programme_id})
    return programme


ProgrammeDep = Annotated[Programme, Depends(get_programme)]


async def get_rule(session: SessionDep, programme: ProgrammeDep, rule_id: IdPath) -> ObligationRule:
    rule = await session.get(ObligationRule, rule_id)
    if rule is None or rule.programme_id != programme.id:
        raise NotFound(
            _("No rule %(rule_id)s in programme %(programme_id)s.")
            % {"rule_id": rule_id, "programme_id": programme.id}
        )
    return rule


RuleDep = Annotated[ObligationRule, Depends(get_rule)]
