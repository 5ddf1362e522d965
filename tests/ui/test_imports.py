"""The workspace's import page on both databases: a preview that keeps the file and nothing
else, a confirmation of the ticked rows only, a refused file shown beside the form, and the
upload kept for its own user alone."""

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from service.enums import UserRole
from service.imports import results
from service.models.students import Student
from service.ui import imports as ui_imports
from tests.factories import create, institution_body
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as, text

FILE = Path(__file__).resolve().parents[1] / "imports" / "files" / "import_graduates_cp1251.csv"
UPLOAD_ID = 'action="/app/imports/'


async def students(session: AsyncSession) -> int:
    return int((await session.exec(select(func.count()).select_from(Student))).one()[0])  # type: ignore[call-overload]


async def career_centre(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    institution = await create(client, "/institutions", institution_body())
    return await make_user(UserRole.career_centre, institution_id=institution["id"])


async def preview(client: httpx.AsyncClient, content: bytes, **fields: Any) -> httpx.Response:
    return await client.post(
        "/app/imports",
        data=form(kind="graduates", **fields),
        files={"file": (FILE.name, content)},
    )


def upload_id(html: str) -> int:
    start = html.index(UPLOAD_ID) + len(UPLOAD_ID)
    return int(html[start : html.index("/commit", start)])


async def test_a_preview_keeps_nothing_and_the_confirmation_imports_the_ticked_rows(
    client: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession
) -> None:
    sign_in_as(client, await career_centre(client, make_user))
    page = await client.get("/app/imports")
    assert page.status_code == 200
    assert "Import from a spreadsheet" in text(page.text)
    before = await students(session)

    shown = await preview(client, FILE.read_bytes())
    assert shown.status_code == 200, shown.text
    words = text(shown.text)
    assert "4 rows: 3 new, 0 to update, 0 unchanged, 1 refused." in words
    assert "Дата выпуска : There is no such day: 31.02.2024." in words
    assert await students(session) == before, "a preview saves no graduate"

    # Two of the three rows that passed are ticked.
    upload = upload_id(shown.text)
    done = await client.post(f"/app/imports/{upload}/commit", data=form() | {"row": ["2", "3"]})
    assert done.status_code == 303, done.text
    assert "created=2" in done.headers["location"]
    assert await students(session) == before + 2
    confirmed = await client.get(done.headers["location"])
    assert "Created: 2, updated: 0, unchanged: 0." in text(confirmed.text)
    # The link opens exactly the two graduates just imported, not the whole caseload.
    link = re.search(r'href="(/app/caseload\?import_id=[0-9]+)"', confirmed.text)
    assert link is not None, confirmed.text
    listed = await client.get(link[1])
    assert "2 students" in text(listed.text)
    assert "Only the graduates of one import." in text(listed.text)

    # The upload is gone once imported.
    again = await client.post(f"/app/imports/{upload}/commit", data=form(row=4))
    assert again.status_code == 404
    assert await students(session) == before + 2


async def test_a_refused_file_is_shown_beside_the_form(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    sign_in_as(client, await career_centre(client, make_user))
    refused = await preview(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    assert refused.status_code == 422
    assert "old Excel format" in text(refused.text)
    nothing = await preview(client, FILE.read_bytes())
    chosen = await client.post(f"/app/imports/{upload_id(nothing.text)}/commit", data=form())
    assert chosen.status_code == 422
    assert "Choose at least one row to import." in text(chosen.text)


async def test_an_upload_is_its_own_users_and_staff_who_do_not_import_are_kept_out(
    client: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession
) -> None:
    mine, theirs = await career_centre(client, make_user), await career_centre(client, make_user)
    sign_in_as(client, mine)
    upload = upload_id((await preview(client, FILE.read_bytes())).text)
    before = await students(session)

    sign_in_as(client, theirs)
    other = await client.post(f"/app/imports/{upload}/commit", data=form(row=2))
    assert other.status_code == 404
    assert await students(session) == before

    sign_in_as(client, await make_user(UserRole.financial_center))
    for response in (
        await client.get("/app/imports"),
        await preview(client, FILE.read_bytes()),
        await client.post(f"/app/imports/{upload}/commit", data=form(row=2)),
    ):
        assert response.status_code == 403
    assert await students(session) == before


async def test_the_template_comes_in_the_language_asked(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    sign_in_as(client, await career_centre(client, make_user))
    template = await client.get("/app/imports/templates/registrations", params={"lang": "kk"})
    assert template.status_code == 200
    assert "serpin-registrations-kk.xlsx" in template.headers["content-disposition"]
    assert template.content.startswith(b"PK")


async def test_rows_beyond_the_table_are_imported_as_ranges(
    client: httpx.AsyncClient,
    make_user: MakeUser,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large file lists only its first rows; the others that passed go back as ranges
    (``4-5``), never as one number per row."""
    monkeypatch.setattr(ui_imports, "SHOWN_ROWS", 2)
    monkeypatch.setattr(results, "KEPT_PASSED", 1)
    sign_in_as(client, await career_centre(client, make_user))
    before = await students(session)
    shown = await preview(client, FILE.read_bytes())
    assert shown.status_code == 200, shown.text
    rest = shown.text.split('name="rest" value="', 1)[1].split('"', 1)[0]
    assert rest == "3-4"  # row 2 is listed, row 5 is refused and listed first
    assert "2 more rows that passed are not listed and will be imported" in text(shown.text)
    upload = upload_id(shown.text)
    done = await client.post(
        f"/app/imports/{upload}/commit", data=form() | {"row": ["2"], "rest": rest}
    )
    assert done.status_code == 303, done.text
    assert "created=3" in done.headers["location"]
    assert await students(session) == before + 3


async def test_a_refused_commit_lists_the_rows_left_out_unticked(
    client: httpx.AsyncClient, make_user: MakeUser, session: AsyncSession
) -> None:
    sign_in_as(client, await career_centre(client, make_user))
    before = await students(session)
    shown = await preview(client, FILE.read_bytes())
    upload = upload_id(shown.text)
    # Row 5 is the refused one: choosing it refuses the commit; rows 3 and 4 were left out.
    refused = await client.post(f"/app/imports/{upload}/commit", data=form() | {"row": ["2", "5"]})
    assert refused.status_code == 422, refused.text
    assert "Nothing was imported" in text(refused.text)
    assert await students(session) == before
    boxes = {
        row: f'value="{row}" checked' in refused.text
        for row in ("2", "3", "4")
        if f'name="row" value="{row}"' in refused.text
    }
    assert boxes == {"2": True, "3": False, "4": False}
    assert 'name="rest" value=""' in refused.text
    assert "disabled" not in refused.text.split("Import the ticked rows")[0].rsplit("<button", 1)[1]
