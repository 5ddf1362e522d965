"""A preview a career centre can act on: each row names the graduate (never the whole IIN),
and a row's every problem comes in one preview, not one stage after another."""

import httpx

from service.enums import UserRole
from tests.factories import create, institution_body, valid_iin
from tests.imports.support import API, HEADER, csv_file, graduate, own_graduate, send
from tests.support import MakeUser

# A checksum-valid IIN (tests.factories' IINs are too, but a literal keeps the row readable).
GOOD_IIN = "020314600010"


async def _career_centre(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    institution = await create(client, "/institutions", institution_body())
    return await make_user(UserRole.career_centre, institution_id=institution["id"])


async def test_each_row_names_the_graduate_and_the_iins_last_four_digits(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    headers = await _career_centre(client, make_user)
    content = csv_file(HEADER, graduate(GOOD_IIN, last_name="Серікбаева"), graduate("12345"))
    results = (await send(client, headers, "graduates", content)).json()["results"]
    assert results[0]["student_name"] == "Серікбаева Anna"
    assert results[0]["iin_masked"] == "********0010"
    # An IIN too short to be one is not shown at all; the name still is.
    assert results[1]["student_name"] == "Ivanova Anna"
    assert results[1]["iin_masked"] is None


async def test_a_record_row_names_the_student_it_finds_and_only_ones_the_centre_may_see(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    student, headers = await own_graduate(client, make_user)
    stranger = await _career_centre(client, make_user)
    content = csv_file(
        "IIN,Registration kind,Address,Settlement,Region,Start date",
        f"{student['iin']},permanent,Abay 1,Petropavl,KZ-59,01.09.2024",
    )
    row = (await send(client, headers, "registrations", content)).json()["results"][0]
    assert row["student_name"].startswith(student["last_name"])
    assert row["iin_masked"] == "*" * 8 + student["iin"][-4:]
    hidden = (await send(client, stranger, "registrations", content)).json()["results"][0]
    assert hidden["outcome"] == "refused"
    assert hidden["student_name"] is None


async def test_a_rows_every_problem_comes_in_one_preview(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    headers = await _career_centre(client, make_user)
    # A wrong IIN checksum, an impossible date and an unknown level, all in one row.
    row = graduate("020314600011").replace("30.06.2024", "31.02.2024").replace("bachelor", "x")
    result = (await send(client, headers, "graduates", csv_file(HEADER, row))).json()
    problems = {p["field"]: p for p in result["results"][0]["errors"]}
    assert set(problems) == {"iin", "expected_graduation_date", "level"}, problems
    assert problems["expected_graduation_date"]["code"] == "date_impossible"
    # Birth date and sex are left blank for the IIN to give: no "required" beside a wrong IIN.
    assert "birth_date" not in problems
    assert "sex" not in problems


async def test_the_student_and_the_enrolment_are_checked_together(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    headers = await _career_centre(client, make_user)
    # A student's problem (the IIN) and an enrolment's (a cost below zero) in one row.
    row = graduate("020314600011", cost="-5")
    result = (await send(client, headers, "graduates", csv_file(HEADER, row))).json()
    fields = {p["field"] for p in result["results"][0]["errors"]}
    assert fields == {"iin", "annual_grant_cost"}, result["results"][0]["errors"]


async def test_a_required_mark_is_not_part_of_a_columns_name_in_a_problem(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    headers = await _career_centre(client, make_user)
    header = HEADER.replace("Expected graduation", "Expected graduation *")
    row = graduate(GOOD_IIN).replace("30.06.2024", "31.02.2024")
    result = (await send(client, headers, "graduates", csv_file(header, row))).json()
    (problem,) = result["results"][0]["errors"]
    assert problem["column"] == "Expected graduation"


async def test_a_commit_is_kept_with_its_graduates_and_the_caseload_lists_exactly_them(
    client: httpx.AsyncClient, make_user: MakeUser
) -> None:
    headers = await _career_centre(client, make_user)
    first = csv_file(HEADER, graduate(GOOD_IIN), graduate("12345"))
    committed = (await send(client, headers, "graduates", first, dry_run=False, rows="2")).json()
    assert committed["applied"]
    import_id = committed["import_id"]
    other = csv_file(HEADER, graduate(valid_iin()))
    later = (await send(client, headers, "graduates", other, dry_run=False)).json()
    assert later["import_id"] != import_id

    listed = await client.get(f"{API}/caseload", headers=headers, params={"import_id": import_id})
    assert listed.status_code == 200, listed.text
    assert [r["student_id"] for r in listed.json()["items"]] == [
        committed["results"][0]["student_id"]
    ]
    everyone = await client.get(f"{API}/caseload", headers=headers)
    assert everyone.json()["total"] == 2

    # The same file again changes nothing, and its import still names its graduate.
    again = (await send(client, headers, "graduates", first, dry_run=False, rows="2")).json()
    assert again["results"][0]["outcome"] == "unchanged"
    same = await client.get(
        f"{API}/caseload", headers=headers, params={"import_id": again["import_id"]}
    )
    assert same.json()["total"] == 1
    # A preview is no import: nothing is kept, so it has no id.
    preview = (await send(client, headers, "graduates", first)).json()
    assert preview["import_id"] is None
