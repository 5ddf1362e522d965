"""The API speaks its reader's language (Accept-Language; English by default): problems,
stored risk flags and the ledger, on both databases."""

import httpx

from tests.factories import create, registration_body, student_with_enrolment

API = "/api/v1"
RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
KK = {"Accept-Language": "kk-KZ,kk;q=0.9"}


async def graduate_registered_outside(client: httpx.AsyncClient) -> dict:
    """A Serpin graduate of 28 June 2024, registered only in Turkestan Region (outside
    North Kazakhstan, where the work counts) and with no job: stored flags follow."""
    student, _ = await student_with_enrolment(
        client, status="graduated", graduation_date="2024-06-28"
    )
    await create(
        client,
        f"/students/{student['id']}/registrations",
        registration_body(region_code="KZ-61", settlement="Turkistan", start_date="2024-07-01"),
    )
    return student


async def test_a_validation_problem_in_each_language(client: httpx.AsyncClient) -> None:
    body = {"kind": "permanent"}
    url = f"{API}/students/999999/registrations"
    english = await client.post(f"{API}/programmes", json=body)
    assert english.status_code == 422
    assert english.headers["Content-Language"] == "en"
    assert english.json()["title"] == "Invalid input"
    assert "Field required" in {e["message"] for e in english.json()["errors"]}
    russian = await client.post(f"{API}/programmes", json=body, headers=RU)
    problem = russian.json()
    assert russian.headers["Content-Language"] == "ru"
    assert problem["title"] == "Некорректные данные"
    assert problem["detail"].endswith(("не прошли проверку.", "не прошло проверку."))
    assert "Обязательное поле" in {e["message"] for e in problem["errors"]}
    # The codes stay the same in every language: clients branch on them.
    assert [e["code"] for e in problem["errors"]] == [e["code"] for e in english.json()["errors"]]
    kazakh = (await client.post(f"{API}/programmes", json=body, headers=KK)).json()
    assert kazakh["title"] == "Деректер жарамсыз"
    assert "Міндетті өріс" in {e["message"] for e in kazakh["errors"]}
    missing = await client.get(url.removesuffix("/registrations"), headers=KK)
    assert missing.status_code == 404
    assert missing.json()["title"] == "Табылмады"
    assert missing.json()["detail"] == "999999 студенті жоқ."


async def test_a_not_found_and_a_field_rule_in_russian(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"{API}/students/999999", headers=RU)
    assert missing.status_code == 404
    body = missing.json()
    assert body.pop("request_id") == missing.headers["X-Request-ID"]
    assert body == {
        "type": "/problems/not-found",
        "title": "Не найдено",
        "status": 404,
        "detail": "Студент 999999 не найден.",
        "instance": "/api/v1/students/999999",
        "errors": [],
    }
    assert "Accept-Language" in missing.headers["Vary"]
    student, _ = await student_with_enrolment(client)
    bad = registration_body(kind="temporary", end_date=None)
    refused = await client.post(
        f"{API}/students/{student['id']}/registrations", json=bad, headers=RU
    )
    assert refused.status_code == 422
    messages = {e["message"] for e in refused.json()["errors"]}
    assert "у временной регистрации есть дата окончания" in messages
    route = await client.get(f"{API}/no-such-thing", headers=KK)
    assert route.status_code == 404
    assert route.json()["title"] == "Табылмады"


async def test_stored_flags_are_read_in_each_language(client: httpx.AsyncClient) -> None:
    student = await graduate_registered_outside(client)
    params = {"code": "registration_outside_allowed_regions"}

    async def flag(headers: dict[str, str] | None = None) -> dict:
        response = await client.get(f"{API}/risks", params=params, headers=headers)
        assert response.status_code == 200, response.text
        found = [f for f in response.json()["items"] if f["student_id"] == student["id"]]
        assert len(found) == 1
        return found[0]

    english = await flag()
    assert english["explanation"] == (
        "registered in Turkestan Region, outside the regions where the work-off counts, "
        "since 1 July 2024"
    )
    assert english["action"].startswith("Check whether the graduate has left")
    # The same stored row, read twice more with nothing written in between.
    russian = await flag(RU)
    kazakh = await flag(KK)
    assert russian["id"] == kazakh["id"] == english["id"]
    assert russian["as_of"] == english["as_of"]
    assert russian["explanation"] == (
        "с 1 июля 2024\u202fг. зарегистрирован в регионе Туркестанская область, вне "
        "регионов, где засчитывается отработка"
    )
    assert russian["action"].startswith("Проверьте, не уехал ли выпускник")
    assert russian["region_name"] != english["region_name"]
    assert kazakh["explanation"].startswith("Түркістан облысы өңірінде")
    assert "2024\u202fж. 1 шілде" in kazakh["explanation"]
    assert kazakh["action"].startswith("Түлектің қабылдаушы өңірден")


async def test_a_graduate_reads_their_own_flags_in_their_language(
    client: httpx.AsyncClient,
) -> None:
    student = await graduate_registered_outside(client)
    url = f"{API}/students/{student['id']}/risks"
    live = (await client.get(url, params={"as_of": "2024-11-20"}, headers=RU)).json()
    codes = {f["code"]: f for f in live}
    assert codes["work_not_started"]["explanation"] == (
        "нет засчитываемой работы; крайний срок был 1 сентября 2024\u202fг. (просрочка 80 дн.)"
    )


async def test_the_ledger_in_each_language(client: httpx.AsyncClient) -> None:
    student = await graduate_registered_outside(client)
    url = f"{API}/students/{student['id']}/obligation"
    params = {"as_of": "2024-10-10"}
    english = (await client.get(f"{url}/ledger", params=params)).json()
    russian = (await client.get(f"{url}/ledger", params=params, headers=RU)).json()
    kazakh = (await client.get(f"{url}/ledger", params=params, headers=KK)).json()
    july = [m for m in (english, russian, kazakh) for m in m["months"] if m["month"] == "2024-07"]
    assert [m["explanation"] for m in july] == [
        "no employment recorded (work must start by 1 September 2024)",
        "работа не записана (работа должна начаться не позднее 1 сентября 2024\u202fг.)",
        "жұмыс тіркелмеген (жұмысты бастаудың соңғы мерзімі: 2024\u202fж. 1 қыркүйек)",
    ]
    assert english["counting_rule"].startswith("A month is credited")
    assert russian["counting_rule"].startswith("Месяц засчитывается")
    assert kazakh["counting_rule"].startswith("Түлек бағдарлама")
    obligation = (await client.get(url, params=params, headers=RU)).json()
    assert obligation["explanation"][0] == (
        "Засчитано 0 из 36 месяцев (0 — по проверенным документам); осталось 36."
    )
    assert obligation["grant_cost_formula"].endswith("тенге")
    assert "Северо-Казахстанская область" in " ".join(obligation["explanation"])
    kk_obligation = (await client.get(url, params=params, headers=KK)).json()
    assert kk_obligation["repayment"]["formula"].endswith("теңге")
    assert any("өтеледі" in s or "теңгеге" in s for s in kk_obligation["explanation"])


async def test_statistics_name_regions_and_cohorts_in_the_readers_language(
    client: httpx.AsyncClient,
) -> None:
    await student_with_enrolment(client, status="graduated", graduation_date="2024-06-28")
    url = f"{API}/monitoring/stats"
    by_region = (await client.get(url, params={"group_by": "region"}, headers=RU)).json()
    assert "Северо-Казахстанская область" in {g["name"] for g in by_region["groups"]}
    by_cohort = (await client.get(url, params={"group_by": "cohort"}, headers=KK)).json()
    assert "2020 жылғы түлектер легі" in {g["name"] for g in by_cohort["groups"]}
    english = (await client.get(url, params={"group_by": "cohort"})).json()
    assert "2020 cohort" in {g["name"] for g in english["groups"]}
