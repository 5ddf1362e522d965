"""A spreadsheet kept between its preview and the commit, so the workspace imports the very
file it showed without the user sending it twice. Each user keeps one upload at a time, for a
day."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.principal import Principal
from service.kit.db import utcnow
from service.kit.errors import NotFound
from service.kit.i18n import _
from service.models.imports import ImportUpload

KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class KeptUpload:
    id: int
    kind: str
    file_name: str
    sheet: str | None
    sha256: str
    content: bytes


async def keep(
    session: AsyncSession,
    principal: Principal,
    kind: str,
    file_name: str,
    sheet: str | None,
    sha256: str,
    content: bytes,
) -> int:
    """Keep the file for its commit (the user's earlier upload and day-old ones go); its id."""
    table: Any = ImportUpload.__table__  # type: ignore[attr-defined]
    await session.exec(
        sa.delete(table).where(
            (table.c.created_at < utcnow() - KEPT_FOR) | (table.c.user_id == principal.user_id)
        )
    )
    upload = ImportUpload(
        user_id=principal.user_id,
        kind=kind,
        file_name=file_name[:255],
        sheet=sheet,
        sha256=sha256,
        content=content,
    )
    session.add(upload)
    await session.flush()
    assert upload.id is not None
    return upload.id


async def kept(session: AsyncSession, principal: Principal, upload_id: int) -> KeptUpload:
    """The user's own upload; anyone else's, or one gone, is not found."""
    upload = (
        await session.exec(
            select(ImportUpload).where(
                col(ImportUpload.id) == upload_id, ImportUpload.user_id == principal.user_id
            )
        )
    ).first()
    if upload is None or upload.id is None:
        raise NotFound(
            _("This upload is gone (uploads are kept for a day): upload the file again.")
        )
    return KeptUpload(
        upload.id, upload.kind, upload.file_name, upload.sheet, upload.sha256, upload.content
    )


async def forget(session: AsyncSession, upload_id: int) -> None:
    table: Any = ImportUpload.__table__  # type: ignore[attr-defined]
    await session.exec(sa.delete(table).where(table.c.id == upload_id))
