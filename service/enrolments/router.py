from typing import Annotated

from fastapi import APIRouter, Depends, status

from service.db import SessionDep
from service.enrolments import service
from service.enrolments.models import Enrolment, EnrolmentStatus
from service.enrolments.schemas import (
    EnrolmentCreate,
    EnrolmentPublic,
    EnrolmentUpdate,
    StatusChangeCreate,
    StatusChangePublic,
)
from service.errors import problem_responses
from service.fields import IdPath
from service.pagination import Page, PageDep
from service.students.router import StudentDep

router = APIRouter(
    prefix="/students/{student_id}/enrolments",
    tags=["enrolments"],
    responses=problem_responses(404),
)


async def _enrolment(session: SessionDep, student: StudentDep, enrolment_id: IdPath) -> Enrolment:
    return await service.get_for_student(session, student, enrolment_id)


EnrolmentDep = Annotated[Enrolment, Depends(_enrolment)]


@router.get("", summary="List a student's enrolments")
async def list_enrolments(
    session: SessionDep, student: StudentDep, page: PageDep, status: EnrolmentStatus | None = None
) -> Page[EnrolmentPublic]:
    rows, cursor = await service.list_page(session, page, student, status)
    return Page(items=[EnrolmentPublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Enrol a student on a grant",
    responses=problem_responses(409),
)
async def create_enrolment(
    session: SessionDep, student: StudentDep, data: EnrolmentCreate
) -> EnrolmentPublic:
    enrolment = await service.create(session, student, data)
    await session.commit()
    return EnrolmentPublic.model_validate(enrolment)


@router.get("/{enrolment_id}", summary="Get an enrolment")
async def get_enrolment(enrolment: EnrolmentDep) -> EnrolmentPublic:
    return EnrolmentPublic.model_validate(enrolment)


@router.patch("/{enrolment_id}", summary="Correct an enrolment (status changes separately)")
async def update_enrolment(
    session: SessionDep, enrolment: EnrolmentDep, data: EnrolmentUpdate
) -> EnrolmentPublic:
    await service.update(session, enrolment, data)
    await session.commit()
    return EnrolmentPublic.model_validate(enrolment)


@router.get("/{enrolment_id}/status-history", summary="An enrolment's status history")
async def get_status_history(
    session: SessionDep, enrolment: EnrolmentDep
) -> list[StatusChangePublic]:
    rows = await service.status_history(session, enrolment)
    return [StatusChangePublic.model_validate(r) for r in rows]


@router.post(
    "/{enrolment_id}/status-history",
    status_code=status.HTTP_201_CREATED,
    summary="Record a status change (graduation, leave, expulsion, transfer)",
)
async def change_status(
    session: SessionDep, enrolment: EnrolmentDep, data: StatusChangeCreate
) -> StatusChangePublic:
    entry = await service.change_status(session, enrolment, data)
    await session.commit()
    return StatusChangePublic.model_validate(entry)
