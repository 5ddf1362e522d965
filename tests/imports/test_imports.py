"""Bulk import through the API: real files in the encodings and layouts career centres keep,
a preview that changes nothing, a commit of exactly the good rows, and a second commit that
is a no-op."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import UserRole
from service.kit.jsonable import jsonable
from service.models.audit import AuditEvent
from service.models.enrolments import Enrolment
from service.models.students import Student
from tests.factories import create, institution_body
from tests.support import MakeUser

API = "/api/v1"
FILES = Path(__file__).parent / "files"


async def _counts(session: AsyncSession) -> tuple[int, int, int]:
    found = []
    for model in (Student, Enrolment, AuditEvent):
        found.append((await session.exec(select(func.count()).select_from(model))).one()[0])  # type: ignore[call-overload]
    return found[0], found[1], found[2]


async def _career_centre(
    client: httpx.AsyncClient, make_user: MakeUser
) -> tuple[dict[str, str], dict[str, Any]]:
    institution = await create(client, "/institutions", institution_body())
    headers = await make_user(UserRole.career_centre, institution_id=institution["id"])
    return headers, institution


async def _post(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, **form: Any
) -> httpx.Response:
    content = (FILES / name).read_bytes()
    data = {
        "kind": "graduates",
        **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()},
    }
    return await client.post(
        f"{API}/imports", headers=headers, data=data, files={"file": (name, content)}
    )


@pytest.mark.parametrize(
    ("name", "bad_row", "bad_column", "encoding", "delimiter"),
    [
        ("import_graduates_utf8_bom.csv", 4, "IIN", "utf-8-sig", ","),
        ("import_graduates_cp1251.csv", 5, "Дата выпуска", "cp1251", ";"),
        ("import_graduates_kk.xlsx", 8, "Шыққан өңірі", None, None),
    ],
)
async def test_preview_changes_nothing_commit_keeps_the_good_rows_and_again_is_a_no_op(
    client: httpx.AsyncClient,
    make_user: MakeUser,
    session: AsyncSession,
    name: str,
    bad_row: int,
    bad_column: str,
    encoding: str | None,
    delimiter: str | None,
) -> None:
    headers, _ = await _career_centre(client, make_user)
    before = await _counts(session)
    preview = await _post(client, headers, name)
    assert preview.status_code == 200, preview.text
    report = preview.json()
    assert (report["encoding"], report["delimiter"]) == (encoding, delimiter)
    refused = [r for r in report["results"] if r["outcome"] == "refused"]
    assert [r["row"] for r in refused] == [bad_row]
    assert refused[0]["errors"][0]["column"] == bad_column
    assert refused[0]["errors"][0]["message"]
    good = [r["row"] for r in report["results"] if r["outcome"] == "created"]
    assert len(good) == report["rows"] - 1
    assert await _counts(session) == before, "a preview must change nothing"

    # Committing every row is refused whole: one of them is bad.
    whole = await _post(client, headers, name, dry_run=False, expect_sha256=report["file_sha256"])
    assert whole.status_code == 422
    assert any(f"rows.{bad_row}" in e["field"] for e in whole.json()["errors"])
    assert await _counts(session) == before

    rows = ",".join(str(r) for r in good)
    done = await _post(client, headers, name, dry_run=False, rows=rows)
    assert done.status_code == 200, done.text
    committed = done.json()
    assert (committed["applied"], committed["created"], committed["skipped"]) == (
        True,
        len(good),
        1,
    )
    students, enrolments, _events = await _counts(session)
    assert (students - before[0], enrolments - before[1]) == (len(good), len(good))

    again = (await _post(client, headers, name, dry_run=False, rows=rows)).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, len(good))
    assert await _counts(session) == (students, enrolments, _events)


async def test_names_keep_every_kazakh_and_russian_letter(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    headers, _ = await _career_centre(client, make_user)
    names = []
    for name in ("import_graduates_cp1251.csv", "import_graduates_kk.xlsx"):
        preview = (await _post(client, headers, name)).json()
        good = ",".join(str(r["row"]) for r in preview["results"] if r["outcome"] == "created")
        report = (await _post(client, headers, name, dry_run=False, rows=good)).json()
        for result in report["results"]:
            if result["student_id"]:
                url = f"{API}/students/{result['student_id']}"
                student = (await client.get(url, headers=headers)).json()
                names.append(
                    f"{student['last_name']} {student['first_name']} {student['patronymic']}"
                )
    written = " ".join(names)
    missing = [letter for letter in "ЁёЙйЪъӘәҒғҚқҢңӨөҰұҮүҺһІі" if letter not in written]
    assert not missing, (missing, written)


async def test_rows_written_in_bulk_are_audited_as_a_flush_would_audit_them(
    client: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession
) -> None:
    """Each new graduate's audit events hold every column as stored, in the one JSON form
    of the audit trail (dates, times in UTC, decimals as numbers, enumerations as values)."""
    headers, _ = await _career_centre(client, make_user)
    done = await _post(client, headers, "import_graduates_utf8_bom.csv", dry_run=False, rows="2-3")
    assert done.status_code == 200, done.text
    student_id = done.json()["results"][0]["student_id"]
    events = (
        (
            await session.exec(select(AuditEvent).where(AuditEvent.student_id == student_id))  # type: ignore[call-overload]
        )
        .scalars()
        .all()
    )
    stored: list[Any] = [
        *(await session.exec(select(Student).where(Student.id == student_id))).scalars(),  # type: ignore[call-overload]
        *(
            await session.exec(select(Enrolment).where(Enrolment.student_id == student_id))  # type: ignore[call-overload]
        ).scalars(),
    ]
    for row in stored:
        event = next(e for e in events if e.entity == row.__tablename__)
        assert event.action == "create"
        assert event.after == {k: jsonable(v) for k, v in row.model_dump().items()}
    assert {e.entity for e in events} == {"student", "enrolment", "enrolment_status_change"}
