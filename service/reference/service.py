from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import RegionKind
from service.kit.collation import collated
from service.kit.errors import InvalidInput
from service.kit.i18n import _, current_locale
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


async def region_choices(session: AsyncSession) -> list[tuple[str, str]]:
    """Every region as (code, name in the reader's language), in the order of its names."""
    name = {"kk": Region.name_kk, "ru": Region.name_ru}.get(current_locale.get(), Region.name_en)
    statement: Any = select(Region.code, name)
    found = [(code, shown) for code, shown in await session.exec(statement)]
    return collated(found, lambda region: region[1])


async def region_codes(session: AsyncSession) -> set[str]:
    return set((await session.exec(select(Region.code))).all())
