"""``/institutions`` and ``/employers``: the same four operations for both kinds of
organisation, built from their specs."""

from typing import Annotated, Any

from fastapi import Depends, Path, Query, Response, status

from service.auth.dependencies import Allow, Reader
from service.auth.principal import Principal
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.crud import get_or_404
from service.kit.errors import problem_responses
from service.kit.fields import MAX_ID
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.organisations import service as organisations_service
from service.organisations.service import EMPLOYERS, INSTITUTIONS, Org, OrganisationSpec


def organisation_router(spec: OrganisationSpec[Org]) -> Router:
    """List and register, get and correct one kind of organisation."""
    router = Router(prefix=f"/{spec.path}", tags=[spec.path], responses=problem_responses(401, 403))
    id_name = f"{spec.label}_id"

    async def _row(
        session: SessionDep,
        organisation_id: Annotated[int, Path(alias=id_name, ge=1, le=MAX_ID)],
    ) -> Any:
        return await get_or_404(session, spec.model, organisation_id, spec.label)

    _add_collection(router, spec)
    _add_item(router, spec, f"/{{{id_name}}}", Annotated[Any, Depends(_row)])
    return router


def _one(spec: OrganisationSpec[Org]) -> str:
    return f"an {spec.label}" if spec.label[0] in "aeiou" else f"a {spec.label}"


def _add_collection(router: Router, spec: OrganisationSpec[Org]) -> None:
    public: Any = spec.public
    create_schema: Any = spec.create
    kind_enum: Any = spec.kind_enum
    creators: Any = Annotated[Principal, Allow(*spec.create_roles)]

    @router.get("", summary=f"List {spec.path}", operation_id=f"list_{spec.path}")
    async def list_(
        session: SessionDep,
        _principal: Reader,
        page: PageDep,
        region_code: Annotated[str | None, Query(max_length=8)] = None,
        kind: Annotated[kind_enum | None, Query(alias=spec.kind_field)] = None,
        bin: Annotated[str | None, Query(max_length=12)] = None,
        name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    ) -> Page[public]:
        rows, cursor = await organisations_service.list_page(
            session, spec, page, region_code=region_code, kind=kind, bin_=bin, name=name
        )
        return Page(items=[public.model_validate(r) for r in rows], next_cursor=cursor)

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        summary=f"Register {_one(spec)}",
        operation_id=f"create_{spec.label}",
        responses=problem_responses(409),
    )
    async def create(
        session: SessionDep, principal: creators, data: create_schema, response: Response
    ) -> public:
        row = await organisations_service.create(session, spec, data, principal)
        set_etag(response, row)
        return public.model_validate(row)


def _add_item(router: Router, spec: OrganisationSpec[Org], item: str, row_dep: Any) -> None:
    public: Any = spec.public
    update_schema: Any = spec.update
    editors: Any = Annotated[Principal, Allow(*spec.edit_roles)]

    @router.get(
        item,
        summary=f"Get {_one(spec)}",
        operation_id=f"get_{spec.label}",
        responses=problem_responses(404),
    )
    async def get(_principal: Reader, row: row_dep, response: Response) -> public:
        set_etag(response, row)
        return public.model_validate(row)

    @router.patch(
        item,
        summary=f"Correct {_one(spec)}",
        operation_id=f"update_{spec.label}",
        responses=problem_responses(404, 409, 412, 428),
    )
    async def update(
        session: SessionDep,
        principal: editors,
        row: row_dep,
        data: update_schema,
        response: Response,
        if_match: IfMatch = None,
    ) -> public:
        organisations_service.require_editor(row, principal)
        await claim_version(session, row, if_match)
        await organisations_service.update(session, spec, row, data)
        set_etag(response, row)
        return public.model_validate(row)


institutions_router = organisation_router(INSTITUTIONS)
employers_router = organisation_router(EMPLOYERS)
