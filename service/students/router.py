from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from service.crud import get_or_404
from service.db import SessionDep
from service.errors import problem_responses
from service.fields import MAX_ID, IdPath
from service.pagination import Page, PageDep
from service.students import service
from service.students.models import ConsentStatus, Student
from service.students.schemas import StudentCreate, StudentPublic, StudentUpdate

router = APIRouter(prefix="/students", tags=["students"])


async def get_student(session: SessionDep, student_id: IdPath) -> Student:
    return await get_or_404(session, Student, student_id, "student")


StudentDep = Annotated[Student, Depends(get_student)]


@router.get("", summary="List students")
async def list_students(
    session: SessionDep,
    page: PageDep,
    iin: Annotated[str | None, Query(max_length=12)] = None,
    last_name: Annotated[str | None, Query(max_length=100, description="Prefix.")] = None,
    origin_region_code: Annotated[str | None, Query(max_length=8)] = None,
    consent: ConsentStatus | None = None,
    institution_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    programme_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    cohort: Annotated[int | None, Query(ge=2000, le=2100, description="Admission year.")] = None,
) -> Page[StudentPublic]:
    rows, cursor = await service.list_page(
        session,
        page,
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
async def create_student(session: SessionDep, data: StudentCreate) -> StudentPublic:
    student = await service.create(session, data)
    await session.commit()
    return StudentPublic.model_validate(student)


@router.get("/{student_id}", summary="Get a student", responses=problem_responses(404))
async def get_student_record(student: StudentDep) -> StudentPublic:
    return StudentPublic.model_validate(student)


@router.patch("/{student_id}", summary="Update a student", responses=problem_responses(404, 409))
async def update_student(
    session: SessionDep, student: StudentDep, data: StudentUpdate
) -> StudentPublic:
    await service.update(session, student, data)
    await session.commit()
    return StudentPublic.model_validate(student)
