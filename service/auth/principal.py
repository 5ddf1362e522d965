"""Who is calling: the principal every authorised request carries."""

from dataclasses import dataclass

from service.enums import ApiScope, UserRole

ROLE_SCOPES: dict[UserRole, frozenset[ApiScope]] = {
    UserRole.admin: frozenset(ApiScope),
    UserRole.financial_center: frozenset(ApiScope),
    UserRole.career_centre: frozenset({ApiScope.read, ApiScope.write}),
    UserRole.student: frozenset({ApiScope.read, ApiScope.write}),
}
STAFF_ROLES = frozenset({UserRole.admin, UserRole.financial_center, UserRole.career_centre})
ALL_ROLES = frozenset(UserRole)
EDITORS = frozenset({UserRole.admin, UserRole.career_centre})
"""The roles that keep graduates' records: enrol them, change their status, import files."""


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: UserRole
    institution_id: int | None
    student_id: int | None
    scopes: frozenset[ApiScope]
    token_id: int | None = None

    @property
    def is_editor(self) -> bool:
        return self.role in EDITORS

    @property
    def sees_everything(self) -> bool:
        return self.role in (UserRole.admin, UserRole.financial_center)
