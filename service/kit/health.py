"""Health probes: live (the process answers) and ready (its database answers and carries the
schema this code was written for).

A load balancer sends traffic only to a ready instance; an orchestrator restarts only one that
is not live, so liveness never touches the database (an outage is not cured by a restart).
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from service.kit.db import SNAPSHOT_READ, database
from service.kit.errors import problem_responses
from service.kit.faults import DatabaseUnavailable
from service.kit.i18n import _
from service.kit.migrations import current_revisions, head_revisions

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="`ok` when the process answers.")


class Readiness(BaseModel):
    status: str = Field(description="`ready` when the service can serve requests.")
    revision: str = Field(description="The database's schema revision (Alembic).")


def get_engine() -> AsyncEngine:
    return database.engine


@router.get("/health", summary="Liveness (the same as /health/live)")
async def health() -> Health:
    return Health(status="ok")


@router.get("/health/live", summary="Liveness: the process answers (the database is not asked)")
async def live() -> Health:
    return Health(status="ok")


@router.get(
    "/health/ready",
    summary="Readiness: the database answers and its schema is this version's",
    description="503 while the database is unreachable, or its schema revision is not the "
    "head of the migrations this version ships (run `python -m service migrate`).",
    responses=problem_responses(503),
)
async def ready(engine: Annotated[AsyncEngine, Depends(get_engine)]) -> Readiness:
    # A read: on SQLite it must not queue behind writers for the write lock.
    async with engine.connect() as connection:
        reader = await connection.execution_options(**{SNAPSHOT_READ: True})
        current = await reader.run_sync(current_revisions)
    expected = head_revisions()
    if current != expected:
        found = ", ".join(sorted(current)) or "none"
        raise DatabaseUnavailable(
            _(
                "The database schema is at revision %(found)s; this version needs "
                "%(join_sorted_expected)s. Run the migrations."
            )
            % {"found": found, "join_sorted_expected": ", ".join(sorted(expected))}
        )
    return Readiness(status="ready", revision=", ".join(sorted(current)))
