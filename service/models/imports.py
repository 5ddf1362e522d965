"""A spreadsheet uploaded for import, kept between its preview and the commit so the
workspace confirms the very file it showed without sending it twice. Bookkeeping: not
audited, and deleted a day after upload."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from service.kit.model_base import created_at_field


class ImportUpload(SQLModel, table=True):
    __tablename__ = "import_upload"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    kind: str = Field(max_length=20)
    file_name: str = Field(max_length=255)
    sheet: str | None = Field(default=None, max_length=100)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = created_at_field()


class ImportBatch(SQLModel, table=True):
    """A committed import: who made it, from which file, with what result. Its graduates
    (``ImportBatchStudent``) are what "open the graduates of this import" lists."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    kind: str = Field(max_length=20)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_at: datetime = created_at_field()


class ImportBatchStudent(SQLModel, table=True):
    """A student a committed import created, changed or found unchanged."""

    __tablename__ = "import_batch_student"

    batch_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("import_batch.id", ondelete="CASCADE"), primary_key=True
        )
    )
    student_id: int = Field(foreign_key="student.id", primary_key=True)
