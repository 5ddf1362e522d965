from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.crud import apply, merge_update, require_refs, require_unique
from service.institutions.models import Institution, InstitutionKind
from service.institutions.schemas import InstitutionCreate, InstitutionUpdate
from service.pagination import PageParams, paginate
from service.reference.models import Region


async def _check(session: AsyncSession, data: InstitutionCreate, own_id: int | None) -> None:
    await require_refs(session, {"region_code": (Region, data.region_code)})
    await require_unique(session, Institution, "bin", data.bin, own_id)


async def create(session: AsyncSession, data: InstitutionCreate) -> Institution:
    await _check(session, data, None)
    institution = Institution.model_validate(data)
    session.add(institution)
    await session.flush()
    return institution


async def update(
    session: AsyncSession, institution: Institution, changes: InstitutionUpdate
) -> Institution:
    data = merge_update(institution, changes, InstitutionCreate)
    await _check(session, data, institution.id)
    session.add(apply(institution, data))
    await session.flush()
    return institution


async def list_page(
    session: AsyncSession,
    page: PageParams,
    region_code: str | None,
    kind: InstitutionKind | None,
    name: str | None,
) -> tuple[list[Institution], str | None]:
    statement = select(Institution)
    if region_code:
        statement = statement.where(Institution.region_code == region_code)
    if kind:
        statement = statement.where(Institution.kind == kind)
    if name:
        statement = statement.where(col(Institution.name).icontains(name, autoescape=True))
    return await paginate(session, statement, page, [col(Institution.id)])
