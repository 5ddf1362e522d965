from typing import Annotated

from fastapi import Query

from service.enums import RegionKind
from service.kit.errors import NotFound, problem_responses
from service.kit.i18n import _
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.models.reference import Region
from service.reference import service as reference_service
from service.reference.schemas import RegionPublic

router = Router(prefix="/regions", tags=["reference"])


@router.get(
    "",
    summary="List regions and cities of republican significance",
    description="Not paged: Kazakhstan has 17 regions and 3 cities of republican significance.",
)
async def list_regions(
    session: SessionDep, kind: Annotated[RegionKind | None, Query()] = None
) -> list[RegionPublic]:
    rows = await reference_service.list_regions(session, kind)
    return [RegionPublic.model_validate(r) for r in rows]


@router.get("/{code}", summary="Get a region", responses=problem_responses(404))
async def get_region(session: SessionDep, code: str) -> RegionPublic:
    region = await session.get(Region, code)
    if region is None:
        raise NotFound(_("No region %(code)s.") % {"code": code})
    return RegionPublic.model_validate(region)
