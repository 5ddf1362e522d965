"""One demo account per role, so each kind of user can be tried at once (README lists them).

Development data only: the `demo-data` command refuses to run in production.
"""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import hash_password
from service.demo.account import DEMO_ACCOUNT_IIN
from service.enums import UserRole
from service.models.auth import User
from service.models.organisations import Institution
from service.models.students import Student

# username, password, full name, role, institution index (career centres)
DEMO_USERS: list[tuple[str, str, str, UserRole, int | None]] = [
    ("admin", "serpin-admin-demo", "Demo Administrator", UserRole.admin, None),
    ("fc", "serpin-fc-demo", "Financial Center analyst", UserRole.financial_center, None),
    ("cc-petropavl", "serpin-cc-demo", "Career centre, Petropavl", UserRole.career_centre, 0),
    ("cc-pavlodar", "serpin-cc-demo", "Career centre, Pavlodar", UserRole.career_centre, 1),
    ("cc-oskemen", "serpin-cc-demo", "Career centre, Oskemen", UserRole.career_centre, 2),
]
DEMO_STUDENT = ("student", "serpin-student-demo")


async def add_demo_users(session: AsyncSession, institutions: list[Institution]) -> list[User]:
    users = []
    for username, password, full_name, role, index in DEMO_USERS:
        users.append(
            User(
                username=username,
                full_name=full_name,
                role=role,
                institution_id=institutions[index].id if index is not None else None,
                password_hash=await hash_password(password),
            )
        )
    # The student account is the graduate whose story is written out (``account``).
    student_id = (
        await session.exec(select(Student.id).where(Student.iin == DEMO_ACCOUNT_IIN))
    ).first()
    if student_id is not None:
        users.append(
            User(
                username=DEMO_STUDENT[0],
                full_name="Demo graduate",
                role=UserRole.student,
                student_id=student_id,
                password_hash=await hash_password(DEMO_STUDENT[1]),
            )
        )
    session.add_all(users)
    await session.flush()
    return users
