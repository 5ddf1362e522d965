"""Institutions and employers: organisations identified by a BIN in a region, registered,
corrected and listed the same way."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.enums import InstitutionKind, SettlementKind, UserRole
from service.kit.collation import collated
from service.kit.crud import apply, merge_update, require_refs, require_unique
from service.kit.errors import Forbidden
from service.kit.i18n import _
from service.kit.pagination import PageParams, paginate
from service.kit.text import N_
from service.models.organisations import Employer, Institution
from service.models.reference import Region
from service.organisations.schemas import (
    EmployerCreate,
    EmployerPublic,
    EmployerUpdate,
    InstitutionCreate,
    InstitutionPublic,
    InstitutionUpdate,
)

Org = TypeVar("Org", Institution, Employer)


@dataclass(frozen=True)
class OrganisationSpec(Generic[Org]):
    model: type[Org]
    create: type[SQLModel]
    update: type[SQLModel]
    public: type[SQLModel]
    path: str
    label: str
    kind_field: str
    kind_enum: type[StrEnum]
    create_roles: frozenset[UserRole]
    """Who registers one."""
    edit_roles: frozenset[UserRole]
    """Who may correct one; other than an administrator, only the account that registered it
    (``registered_by_user_id``, where the table has it)."""


INSTITUTIONS = OrganisationSpec(
    model=Institution,
    create=InstitutionCreate,
    update=InstitutionUpdate,
    public=InstitutionPublic,
    path="institutions",
    label=N_("institution"),
    kind_field="kind",
    kind_enum=InstitutionKind,
    create_roles=frozenset({UserRole.admin}),
    edit_roles=frozenset({UserRole.admin}),
)
EMPLOYERS = OrganisationSpec(
    model=Employer,
    create=EmployerCreate,
    update=EmployerUpdate,
    public=EmployerPublic,
    path="employers",
    label=N_("employer"),
    kind_field="settlement_kind",
    kind_enum=SettlementKind,
    # Career centres register the employers their graduates work for; an employer is shared
    # by every institution, so only who registered it corrects it.
    create_roles=frozenset({UserRole.admin, UserRole.career_centre}),
    edit_roles=frozenset({UserRole.admin, UserRole.career_centre}),
)


async def _check(session: AsyncSession, model: type[Org], data: Any, own_id: int | None) -> None:
    await require_refs(session, {"region_code": (Region, data.region_code)})
    await require_unique(session, model, "bin", data.bin, own_id)


async def create(
    session: AsyncSession, spec: OrganisationSpec[Org], data: SQLModel, principal: Principal
) -> Org:
    await _check(session, spec.model, data, None)
    row = spec.model.model_validate(data)
    if isinstance(row, Employer):
        row.registered_by_user_id = principal.user_id
    session.add(row)
    await session.flush()
    return row


def require_editor(row: Org, principal: Principal) -> None:
    registrant = getattr(row, "registered_by_user_id", None)
    if principal.role != UserRole.admin and registrant != principal.user_id:
        raise Forbidden(
            _("Only who registered this %(type_row_name_lower)s or an administrator corrects it.")
            % {"type_row_name_lower": type(row).__name__.lower()}
        )


async def update(
    session: AsyncSession, spec: OrganisationSpec[Org], row: Org, changes: SQLModel
) -> Org:
    data = merge_update(row, changes, spec.create)
    await _check(session, spec.model, data, row.id)
    session.add(apply(row, data))
    await session.flush()
    return row


async def list_page(
    session: AsyncSession,
    spec: OrganisationSpec[Org],
    page: PageParams,
    *,
    region_code: str | None,
    kind: StrEnum | None,
    bin_: str | None,
    name: str | None,
) -> tuple[list[Org], str | None]:
    model: Any = spec.model
    statement = select(model)
    if region_code:
        statement = statement.where(model.region_code == region_code)
    if kind:
        statement = statement.where(getattr(model, spec.kind_field) == kind)
    if bin_:
        statement = statement.where(model.bin == bin_)
    if name:
        statement = statement.where(col(model.name).icontains(name, autoescape=True))
    return await paginate(session, statement, page, [col(model.id)])


async def institution_choices(session: AsyncSession) -> list[tuple[int, str]]:
    """Every institution as (id, name), by name: a filter's choices."""
    statement: Any = select(Institution.id, Institution.name)
    return collated([(i, n) for i, n in await session.exec(statement)], lambda row: row[1])


async def institution_names(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
    statement: Any = select(Institution.id, Institution.name).where(
        col(Institution.id).in_(set(ids))
    )
    return dict((await session.exec(statement)).all())


async def employer_choices(session: AsyncSession, most: int = 1000) -> list[tuple[int, str]]:
    """Employers as (id, name), by name, at most ``most`` of them: a form's choices."""
    statement: Any = select(Employer.id, Employer.name).order_by(col(Employer.name)).limit(most)
    return collated([(i, n) for i, n in await session.exec(statement)], lambda row: row[1])
