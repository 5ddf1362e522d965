"""Sign-in throttling per account and per client address, kept in the database.

After ``login_max_failures`` failures within ``login_window_minutes`` the key is locked for
``login_lock_minutes``. State lives in the database so the limit holds across workers.
"""

from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.config import get_settings
from service.models.auth import LoginThrottle


def throttle_keys(username: str, address: str) -> list[str]:
    return [f"account:{username.lower()}", f"address:{address}"]


async def locked_for(session: AsyncSession, keys: list[str], now: datetime) -> int:
    """Seconds until every key is free again (0: not locked)."""
    remaining = 0
    for key in keys:
        row = await session.get(LoginThrottle, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            remaining = max(remaining, int((row.locked_until - now).total_seconds()) + 1)
    return remaining


async def record_failure(session: AsyncSession, keys: list[str], now: datetime) -> None:
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    for key in keys:
        row = await session.get(LoginThrottle, key, with_for_update=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
        if now - row.window_started_at > window:
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= settings.login_max_failures:
            row.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
        session.add(row)
    await session.flush()


async def clear(session: AsyncSession, username: str) -> None:
    """A successful sign-in clears the account's count (the address keeps its own)."""
    row = await session.get(LoginThrottle, throttle_keys(username, "")[0])
    if row is not None:
        await session.delete(row)
        await session.flush()


def utcnow() -> datetime:
    return datetime.now(UTC)
