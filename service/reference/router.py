from typing import Annotated

from fastapi import APIRouter, Query

from service.db import SessionDep
from service.errors import NotFound, problem_responses
from service.reference import service
from service.reference.models import Region, RegionKind
from service.reference.schemas import RegionPublic

router = APIRouter(prefix="/regions", tags=["reference"])


@router.get("", summary="List regions and cities of republican significance")
async def list_regions(
    session: SessionDep, kind: Annotated[RegionKind | None, Query()] = None
) -> list[RegionPublic]:
    rows = await service.list_regions(session, kind)
    return [RegionPublic.model_validate(r) for r in rows]


@router.get("/{code}", summary="Get a region", responses=problem_responses(404))
async def get_region(session: SessionDep, code: str) -> RegionPublic:
    region = await session.get(Region, code)
    if region is None:
        raise NotFound(f"No region {code}.")
    return RegionPublic.model_validate(region)
