"""Issuing and accepting a graduate's one-time links.

A link is a random secret in a path (``/app/welcome/<secret>``): it is shown once to the
staff member who asked for it, and kept only as its SHA-256 digest, found by the secret's
first characters (as an API token is). It serves once, until it expires, and only while it is
the graduate's newest link. Accepting it sets the password: of a new account (role student,
bound to the graduate, signing in with the IIN) or of the one the graduate has, whose sessions
then all end.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asgi_correlation_id import correlation_id
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import hash_password, new_link_token, split_link_token, token_matches
from service.auth.principal import Principal
from service.enums import UserRole
from service.kit.config import get_settings
from service.kit.errors import Conflict
from service.kit.i18n import _
from service.kit.unit_of_work import Actor, UnitOfWork
from service.models.auth import StudentInvitation, User
from service.models.students import Student

INVITERS = frozenset({UserRole.admin, UserRole.career_centre, UserRole.financial_center})
WELCOME_PATH = "/app/welcome/"
# Compared against when no row has the secret's prefix, so that an unknown link costs what a
# known one does.
_NO_DIGEST = "0" * 64


@dataclass(frozen=True)
class IssuedLink:
    row: StudentInvitation
    token: str


@dataclass(frozen=True)
class OpenLink:
    row: StudentInvitation
    student: Student
    account: User | None
    username: str


def username_for(student: Student) -> str:
    """The name a graduate signs in with: their IIN, which they know and no one else has."""
    return student.iin


def link_url(token: str) -> str:
    """The link a graduate opens: under ``SERVICE_PUBLIC_URL``, never under the address a
    request named (its Host header is the sender's to choose). Without it (development
    only: production refuses to start) the link is a path on the service."""
    return get_settings().public_url.rstrip("/") + WELCOME_PATH + token


async def account_of(session: AsyncSession, student_id: int) -> User | None:
    statement = select(User).where(User.student_id == student_id)
    return (await session.exec(statement)).first()


async def _require_username_free(session: AsyncSession, student: Student) -> None:
    taken = await session.exec(select(User.id).where(User.username == username_for(student)))
    if taken.first() is not None:
        raise Conflict(
            _(
                "Another account already signs in with this graduate's IIN; an administrator "
                "must rename it first."
            )
        )


async def _supersede(session: AsyncSession, student_id: int, now: datetime) -> None:
    """End the graduate's earlier unused links: only the newest one handed over works."""
    statement = select(StudentInvitation).where(
        StudentInvitation.student_id == student_id,
        col(StudentInvitation.used_at).is_(None),
        col(StudentInvitation.superseded_at).is_(None),
    )
    for row in (await session.exec(statement)).all():
        row.superseded_at = now
        session.add(row)


async def issue(
    session: AsyncSession,
    student: Student,
    password_reset: bool,
    issuer: Principal,
    now: datetime | None = None,
) -> IssuedLink:
    """A new link for the graduate; the caller holds the student's row lock."""
    assert student.id is not None
    now = now or datetime.now(UTC)
    account = await account_of(session, student.id)
    if password_reset:
        if account is None:
            raise Conflict(_("This graduate has no account yet: invite them instead."))
        if not account.is_active:
            raise Conflict(_("This graduate's account is deactivated; an administrator decides."))
    else:
        if account is not None:
            raise Conflict(
                _("This graduate already has an account: send a password-reset link instead.")
            )
        await _require_username_free(session, student)
    await _supersede(session, student.id, now)
    fresh = new_link_token()
    row = StudentInvitation(
        student_id=student.id,
        password_reset=password_reset,
        prefix=fresh.prefix,
        token_hash=fresh.digest,
        created_by_user_id=issuer.user_id,
        created_at=now,
        expires_at=now + timedelta(hours=get_settings().invitation_hours),
    )
    session.add(row)
    await session.flush()
    return IssuedLink(row=row, token=fresh.token)


async def _valid_row(session: AsyncSession, token: str, now: datetime) -> StudentInvitation | None:
    prefix = split_link_token(token)
    row = None
    if prefix is not None:
        statement = (
            select(StudentInvitation)
            .where(StudentInvitation.prefix == prefix)
            # Read again after a lock: another request may have used it meanwhile.
            .execution_options(populate_existing=True)
        )
        row = (await session.exec(statement)).first()
    matches = token_matches(token, row.token_hash if row is not None else _NO_DIGEST)
    if (
        row is None
        or not matches
        or row.used_at is not None
        or row.superseded_at is not None
        or row.expires_at <= now
    ):
        return None
    return row


async def open_link(
    session: AsyncSession, token: str, now: datetime | None = None
) -> OpenLink | None:
    """The link and whom it is for, if it may still be used; None for a link that is unknown,
    used, expired or replaced, alike (the answer tells nothing of which)."""
    now = now or datetime.now(UTC)
    row = await _valid_row(session, token, now)
    if row is None:
        return None
    student = await session.get(Student, row.student_id)
    account = await account_of(session, row.student_id)
    if student is None or (account is not None and not account.is_active):
        return None
    username = account.username if account is not None else username_for(student)
    return OpenLink(row=row, student=student, account=account, username=username)


async def accept(
    uow: UnitOfWork, token: str, password: str, now: datetime | None = None
) -> User | None:
    """Set the password the link is for, and spend the link; None (and nothing changed) for a
    link that may not be used."""
    session = uow.session
    now = now or datetime.now(UTC)
    found = await open_link(session, token, now)
    if found is None:
        return None
    # The student's row lock queues two sends of one link; the second then finds it used.
    await uow.lock_students([found.row.student_id])
    found = await open_link(session, token, now)
    if found is None:
        return None
    account = found.account
    uow.actor = Actor(
        user_id=account.id if account is not None else None,
        role=UserRole.student,
        request_id=correlation_id.get(),
    )
    password_hash = await hash_password(password)
    if account is None:
        student = found.student
        await _require_username_free(session, student)
        full_name = " ".join(
            p for p in (student.last_name, student.first_name, student.patronymic) if p
        )
        account = User(
            username=found.username,
            full_name=full_name[:200],
            role=UserRole.student,
            student_id=student.id,
            password_hash=password_hash,
        )
    else:
        account.password_hash = password_hash
        # A new password ends every session and access token issued before it.
        account.token_generation += 1
    account.last_login_at = now
    session.add(account)
    found.row.used_at = now
    session.add(found.row)
    await session.flush()
    return account
