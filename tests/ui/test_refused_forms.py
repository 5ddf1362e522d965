"""A refused form says so at the top of the page, in the page's language: a summary that
takes the focus and links to each field, each message naming the field by its label and
dates as the page writes them, never an internal name."""

import re

import httpx
import pytest

from service.enums import UserRole
from service.kit.i18n import LOCALE_COOKIE
from tests.factories import registration_body
from tests.records import make_owner
from tests.support import MakeUser
from tests.ui.support import form, sign_in_as, text

SUMMARY = re.compile(
    r'<section class="alert error-summary"[^>]*autofocus[^>]*>(.*?)</section>', re.S
)
EXPECTED = {
    "en": ("Nothing was saved", "End date: must not be before Aug 20, 2024"),
    "ru": ("Ничего не сохранено", "Дата окончания: не может быть раньше 20 авг. 2024"),
    "kk": ("Ештеңе сақталмады", "Аяқталу күні: 2024 ж. 20 там. күнінен бұрын"),
}


@pytest.mark.parametrize("locale", sorted(EXPECTED))
async def test_the_summary_links_each_field_in_the_pages_language(
    client: httpx.AsyncClient, make_user: MakeUser, locale: str
) -> None:
    owner = await make_owner(client)
    centre = await make_user(UserRole.career_centre, institution_id=owner.first["institution_id"])
    sign_in_as(client, centre)
    client.cookies.set(LOCALE_COOKIE, locale)
    refused = await client.post(
        f"/app/students/{owner.id}/records/registrations",
        data=form(**registration_body(start_date="2024-08-20", end_date="2024-08-01")),
    )
    assert refused.status_code == 422
    summary = SUMMARY.search(refused.text)
    assert summary is not None, "the summary is at the top and takes the focus"
    assert 'href="#new-registrations-end_date"' in summary.group(1)
    assert 'id="new-registrations-end_date"' in refused.text, "the link leads to the field"
    said = text(summary.group(1))
    heading, message = EXPECTED[locale]
    assert heading in said
    assert message in said, said
    assert "start_date" not in said
