"""What the history endpoint returns of the audit trail."""

from datetime import datetime
from typing import Any

from sqlmodel import SQLModel

from service.enums import AuditAction


class AuditEventPublic(SQLModel):
    id: int
    occurred_at: datetime
    actor_user_id: int | None
    actor_role: str
    token_id: int | None
    request_id: str | None
    entity: str
    entity_id: str
    student_id: int | None
    action: AuditAction
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changed: list[str]
