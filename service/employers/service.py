from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.crud import apply, merge_update, require_refs, require_unique
from service.employers.models import Employer, SettlementKind
from service.employers.schemas import EmployerCreate, EmployerUpdate
from service.pagination import PageParams, paginate
from service.reference.models import Region


async def _check(session: AsyncSession, data: EmployerCreate, own_id: int | None) -> None:
    await require_refs(session, {"region_code": (Region, data.region_code)})
    await require_unique(session, Employer, "bin", data.bin, own_id)


async def create(session: AsyncSession, data: EmployerCreate) -> Employer:
    await _check(session, data, None)
    employer = Employer.model_validate(data)
    session.add(employer)
    await session.flush()
    return employer


async def update(session: AsyncSession, employer: Employer, changes: EmployerUpdate) -> Employer:
    data = merge_update(employer, changes, EmployerCreate)
    await _check(session, data, employer.id)
    session.add(apply(employer, data))
    await session.flush()
    return employer


async def list_page(
    session: AsyncSession,
    page: PageParams,
    region_code: str | None,
    settlement_kind: SettlementKind | None,
    bin_: str | None,
    name: str | None,
) -> tuple[list[Employer], str | None]:
    statement = select(Employer)
    if region_code:
        statement = statement.where(Employer.region_code == region_code)
    if settlement_kind:
        statement = statement.where(Employer.settlement_kind == settlement_kind)
    if bin_:
        statement = statement.where(Employer.bin == bin_)
    if name:
        statement = statement.where(col(Employer.name).icontains(name, autoescape=True))
    return await paginate(session, statement, page, [col(Employer.id)])
