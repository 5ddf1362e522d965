"""What the import tests share: a CSV file from its lines, sending it to the API, a graduate
of a career centre's own institution, and the graduates layout's header and rows."""

from typing import Any

import httpx

from service.enums import UserRole
from tests.factories import student_with_enrolment
from tests.support import MakeUser

API = "/api/v1"


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


async def send(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    kind: str,
    content: bytes,
    name: str = "rows.csv",
    params: dict[str, str] | None = None,
    **form: Any,
) -> httpx.Response:
    data = {
        "kind": kind,
        **{k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()},
    }
    return await client.post(
        f"{API}/imports",
        headers=headers,
        data=data,
        files={"file": (name, content)},
        params=params,
    )


async def own_graduate(
    client: httpx.AsyncClient, make_user: MakeUser
) -> tuple[dict[str, Any], dict[str, str]]:
    student, enrolment = await student_with_enrolment(client)
    headers = await make_user(UserRole.career_centre, institution_id=enrolment["institution_id"])
    return student, headers


HEADER = (
    "IIN,Last name,First name,Home region,Programme,Specialty code,Specialty,"
    "Field of study,Level,Study start,Expected graduation,Annual grant cost"
)


def graduate(iin: str, cost: Any = "800000", last_name: str = "Ivanova") -> str:
    return (
        f"{iin},{last_name},Anna,KZ-61,serpin,6B01501,Teacher,pedagogical,bachelor,"
        f"01.09.2020,30.06.2024,{cost}"
    )
