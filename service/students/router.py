from typing import Annotated

from fastapi import Query, Response, status

from service.auth.dependencies import Editor, Reader, Staff
from service.enums import ConsentStatus
from service.kit.concurrency import IfMatch, claim_version, set_etag
from service.kit.errors import problem_responses
from service.kit.fields import MAX_ID
from service.kit.pagination import Page, PageDep
from service.kit.routing import Router
from service.kit.unit_of_work import SessionDep
from service.students import service as students_service
from service.students.dependencies import StudentDep
from service.students.schemas import StudentCreate, StudentPublic, StudentUpdate

router = Router(prefix="/students", tags=["students"], responses=problem_responses(401, 403))


@router.get("", summary="List students")
async def list_students(
    session: SessionDep,
    principal: Staff,
    page: PageDep,
    iin: Annotated[str | None, Query(max_length=12)] = None,
    last_name: Annotated[str | None, Query(max_length=100, description="Prefix.")] = None,
    origin_region_code: Annotated[str | None, Query(max_length=8)] = None,
    consent: ConsentStatus | None = None,
    institution_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    programme_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    cohort: Annotated[int | None, Query(ge=2000, le=2100, description="Admission year.")] = None,
) -> Page[StudentPublic]:
    rows, cursor = await students_service.list_page(
        session,
        page,
        principal,
        iin=iin,
        last_name=last_name,
        origin_region_code=origin_region_code,
        consent=consent,
        institution_id=institution_id,
        programme_id=programme_id,
        cohort=cohort,
    )
    return Page(items=[StudentPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Register a student",
    responses=problem_responses(409),
)
async def create_student(
    session: SessionDep, principal: Editor, data: StudentCreate, response: Response
) -> StudentPublic:
    student = await students_service.create(session, data, principal)
    set_etag(response, student)
    return StudentPublic.model_validate(student)


@router.get("/{student_id}", summary="Get a student", responses=problem_responses(404))
async def get_student_record(
    _principal: Reader, student: StudentDep, response: Response
) -> StudentPublic:
    set_etag(response, student)
    return StudentPublic.model_validate(student)


@router.patch(
    "/{student_id}", summary="Update a student", responses=problem_responses(404, 409, 412, 428)
)
async def update_student(
    session: SessionDep,
    _principal: Editor,
    student: StudentDep,
    data: StudentUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> StudentPublic:
    await claim_version(session, student, if_match)
    await students_service.update(session, student, data)
    set_etag(response, student)
    return StudentPublic.model_validate(student)
