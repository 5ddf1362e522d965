"""The routes of a student's records, built from their ``StudentRecordSpec``: list, add, get,
correct, void (where the kind can be voided) and verify (where it has a verifier)."""

from typing import Annotated, Any

from fastapi import Depends, Query, Response, status
from pydantic import BaseModel, Field, StringConstraints

from service.auth.dependencies import Allow, Reader
from service.auth.principal import Principal
from service.kit.concurrency import IfMatch, set_etag
from service.kit.errors import problem_responses
from service.kit.fields import Day, IdPath, example
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.students.dependencies import StudentDep
from service.students.records import (
    C,
    M,
    StudentRecordSpec,
    create_record,
    get_record,
    list_records,
    update_record,
    verify_record,
    void_record,
)


class Verification(BaseModel):
    model_config = example({"verified": True})

    verified: bool = Field(description="Whether the evidence behind the record was checked.")


class Void(BaseModel):
    model_config = example(
        {"reason": "Entered twice: the same contract was recorded on 3 September."}
    )

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


def student_records_router(spec: StudentRecordSpec[M, C]) -> Router:
    """The API of one kind of record under a student: list and add, get and correct, and
    void and verify where the kind allows it."""
    router = Router(
        prefix=f"/students/{{student_id}}/{spec.path}",
        tags=[spec.tag],
        responses=problem_responses(401, 403, 404),
    )

    async def _record(session: SessionDep, student: StudentDep, record_id: IdPath) -> Any:
        return await get_record(session, spec, student, record_id)

    record_dep: Any = Annotated[Any, Depends(_record)]
    _add_collection(router, spec)
    _add_item(router, spec, record_dep)
    if spec.voidable:
        _add_void(router, spec, record_dep)
    if spec.verify_roles:
        _add_verification(router, spec, record_dep)
    return router


def _add_collection(router: Router, spec: StudentRecordSpec[M, C]) -> None:
    public: Any = spec.public
    create_schema: Any = spec.create
    kind_enum: Any = spec.kind_enum
    writers: Any = Annotated[Principal, Allow(*spec.write_roles)]
    active_help = "Only records whose period covers this date." if spec.period else "Ignored."

    @router.get(
        "",
        summary=f"List a student's {spec.label}s",
        response_model=Page[public],
        operation_id=f"list_{spec.path}",
    )
    async def list_(
        session: SessionDep,
        _principal: Reader,
        student: StudentDep,
        page: PageDep,
        kind: Annotated[kind_enum | None, Query(alias=spec.kind_field)] = None,
        active_on: Annotated[Day | None, Query(description=active_help)] = None,
        voided: Annotated[
            bool, Query(description="Also voided records (when the kind can be voided).")
        ] = False,
    ) -> Any:
        rows, cursor = await list_records(
            session, spec, student, page, kind, active_on, include_voided=voided
        )
        return Page(items=[public.model_validate(r) for r in rows], next_cursor=cursor)

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        summary=f"Add a {spec.label}",
        response_model=public,
        operation_id=f"create_{spec.path}",
        responses=problem_responses(409),
    )
    async def create(
        session: SessionDep,
        principal: writers,
        student: StudentDep,
        data: create_schema,
        response: Response,
    ) -> Any:
        row = await create_record(session, spec, student, data, principal)
        set_etag(response, row)
        return public.model_validate(row)


def _add_item(router: Router, spec: StudentRecordSpec[M, C], record_dep: Any) -> None:
    public: Any = spec.public
    update_schema: Any = spec.update
    writers: Any = Annotated[Principal, Allow(*spec.write_roles)]

    @router.get(
        "/{record_id}",
        summary=f"Get a {spec.label}",
        response_model=public,
        operation_id=f"get_{spec.path}",
    )
    async def get(_principal: Reader, record: record_dep, response: Response) -> Any:
        set_etag(response, record)
        return public.model_validate(record)

    @router.patch(
        "/{record_id}",
        summary=f"Update a {spec.label}",
        response_model=public,
        operation_id=f"update_{spec.path}",
        responses=problem_responses(409, 412, 428),
    )
    async def update(
        session: SessionDep,
        principal: writers,
        student: StudentDep,
        record: record_dep,
        data: update_schema,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        row = await update_record(session, spec, student, record, data, principal, if_match)
        set_etag(response, row)
        return public.model_validate(row)


def _add_void(router: Router, spec: StudentRecordSpec[M, C], record_dep: Any) -> None:
    public: Any = spec.public
    writers: Any = Annotated[Principal, Allow(*spec.write_roles)]

    @router.post(
        "/{record_id}/void",
        summary=f"Void a {spec.label} entered by mistake (kept, with the reason)",
        response_model=public,
        operation_id=f"void_{spec.path}",
        responses=problem_responses(409, 412, 428),
    )
    async def void(
        session: SessionDep,
        principal: writers,
        record: record_dep,
        data: Void,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        row = await void_record(session, spec, record, data.reason, principal, if_match)
        set_etag(response, row)
        return public.model_validate(row)


def _add_verification(router: Router, spec: StudentRecordSpec[M, C], record_dep: Any) -> None:
    public: Any = spec.public
    verifiers: Any = Annotated[Principal, Allow(*spec.verify_roles)]

    @router.post(
        "/{record_id}/verification",
        summary=f"Record whether a {spec.label} is verified",
        response_model=public,
        operation_id=f"verify_{spec.path}",
        responses=problem_responses(412, 428),
    )
    async def verify(
        session: SessionDep,
        principal: verifiers,
        record: record_dep,
        data: Verification,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        row = await verify_record(session, spec, record, data.verified, principal, if_match)
        set_etag(response, row)
        return public.model_validate(row)
