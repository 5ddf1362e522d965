"""Responses to POSTs sent with an ``Idempotency-Key``, so a retry creates nothing twice."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.kit.model_base import created_at_field


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("principal", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    principal: str = Field(max_length=40, description="`user:<id>` or `token:<id>`.")
    key: str = Field(max_length=200)
    method: str = Field(max_length=10)
    path: str = Field(max_length=500)
    request_hash: str = Field(max_length=64)
    status_code: int | None = Field(default=None, description="Null while the first request runs.")
    response_body: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_at_field()
