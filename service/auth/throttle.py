"""Sign-in throttling, kept in the database so the limits hold across workers.

Three counters, each in its own ``login_throttle`` row:

- **account and address together** (``pair:``): ``login_max_failures`` failures within the
  window lock that pair for ``login_lock_minutes``. Its row is locked (``FOR UPDATE``) from
  before the password check to the commit, so parallel guesses queue and at most the limit
  of passwords is ever checked. A lock here never keeps the right password out when it comes
  from another address.
- **account** (``account:``): guesses spread over many addresses; past
  ``login_account_max_failures`` each further failure pauses the account for
  ``login_account_pause_seconds`` only, so an attacker cannot lock a graduate out.
- **address** (``address:``): one address spraying many accounts; past
  ``login_address_max_failures`` the address is locked. Counted without a row lock (many
  people may sign in from one university network at once).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.config import get_settings
from service.models.auth import LoginThrottle

_TABLE: Any = LoginThrottle.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Keys:
    pair: str
    account: str
    address: str

    @classmethod
    def of(cls, username: str, address: str) -> "Keys":
        account = username.strip().lower()[:100]
        return cls(f"pair:{account}|{address}"[:200], f"account:{account}", f"address:{address}")

    @property
    def all(self) -> tuple[str, str, str]:
        return (self.pair, self.account, self.address)


async def _ensure_rows(session: AsyncSession, keys: Keys, now: datetime) -> None:
    """Create the counters that do not exist yet; concurrent sign-ins never collide."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["key"])
    await session.exec(
        statement, params=[{"key": k, "failures": 0, "window_started_at": now} for k in keys.all]
    )


async def _rows(session: AsyncSession, keys: Keys) -> dict[str, LoginThrottle]:
    # The pair's row lock serialises guesses at one account from one address; the others are
    # read as they are.
    pair = await session.get(LoginThrottle, keys.pair, with_for_update=True, populate_existing=True)
    rows = {k: await session.get(LoginThrottle, k, populate_existing=True) for k in keys.all[1:]}
    assert pair is not None
    return {keys.pair: pair} | {k: r for k, r in rows.items() if r is not None}


async def admit(session: AsyncSession, keys: Keys, now: datetime) -> int:
    """Seconds to wait before this sign-in may be tried (0: go on, the pair now locked)."""
    await _ensure_rows(session, keys, now)
    wait = 0
    for row in (await _rows(session, keys)).values():
        if row.locked_until is not None and row.locked_until > now:
            wait = max(wait, int((row.locked_until - now).total_seconds()) + 1)
    return wait


async def record_failure(session: AsyncSession, keys: Keys, now: datetime) -> None:
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    limits = {
        keys.pair: (settings.login_max_failures, timedelta(minutes=settings.login_lock_minutes)),
        keys.account: (
            settings.login_account_max_failures,
            timedelta(seconds=settings.login_account_pause_seconds),
        ),
        keys.address: (
            settings.login_address_max_failures,
            timedelta(minutes=settings.login_lock_minutes),
        ),
    }
    for key, (limit, lock) in limits.items():
        # One atomic statement per counter: parallel failures from other pairs add up exactly.
        fresh = _TABLE.c.window_started_at < now - window
        failures = sa.case((fresh, 1), else_=_TABLE.c.failures + 1)
        await session.exec(
            sa.update(_TABLE)
            .where(_TABLE.c.key == key)
            .values(
                failures=failures,
                window_started_at=sa.case((fresh, now), else_=_TABLE.c.window_started_at),
                locked_until=sa.case((failures >= limit, now + lock), else_=_TABLE.c.locked_until),
            )
        )


async def clear(session: AsyncSession, keys: Keys) -> None:
    """A successful sign-in clears its pair and its account; the address keeps its count."""
    await session.exec(sa.delete(_TABLE).where(_TABLE.c.key.in_([keys.pair, keys.account])))


async def purge_stale(session: AsyncSession, now: datetime) -> int:
    """Delete counters whose window has passed and that lock nothing (daily)."""
    window = timedelta(minutes=get_settings().login_window_minutes)
    result: Any = await session.exec(
        sa.delete(_TABLE).where(
            _TABLE.c.window_started_at < now - window,
            _TABLE.c.locked_until.is_(None) | (_TABLE.c.locked_until < now),
        )
    )
    return int(result.rowcount or 0)


def utcnow() -> datetime:
    return datetime.now(UTC)
