from collections.abc import Iterable, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import RegionKind
from service.kit.errors import InvalidInput
from service.kit.i18n import _
from service.models.reference import Region


async def list_regions(session: AsyncSession, kind: RegionKind | None = None) -> Sequence[Region]:
    statement = select(Region).order_by(col(Region.code))
    if kind is not None:
        statement = statement.where(Region.kind == kind)
    return (await session.exec(statement)).all()


async def require_regions(session: AsyncSession, codes: Iterable[str], field: str) -> None:
    """Refuse codes that name no region, naming the field that held them."""
    wanted = set(codes)
    if not wanted:
        return
    found = set((await session.exec(select(Region.code).where(col(Region.code).in_(wanted)))).all())
    missing = sorted(wanted - found)
    if missing:
        raise InvalidInput.field(
            field,
            _("Unknown region code(s): %(join_missing)s. %(region_lookup_hint)s")
            % {"join_missing": ", ".join(missing), "region_lookup_hint": Region.lookup_hint},
            "unknown_region",
        )
