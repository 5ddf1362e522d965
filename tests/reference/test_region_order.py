"""Region lists in each language's own order (ICU collation), not by code point: in Kazakh
the letters Kazakh adds to Cyrillic sit beside their neighbours in the alphabet."""

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.kit.collation import collated
from service.kit.i18n import use_locale
from service.reference import service as reference_service

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"


def alphabet_key(name: str) -> list[int]:
    return [KAZAKH_ALPHABET.index(c) if c in KAZAKH_ALPHABET else 100 for c in name.lower()]


def test_kazakh_letters_sort_beside_their_neighbours() -> None:
    names = ["Ұлытау", "Атырау", "Қостанай", "Ақмола", "Жамбыл", "Үржар", "Ішкі", "Ыстық"]
    assert collated(names, str, "kk") == [
        "Ақмола",
        "Атырау",
        "Жамбыл",
        "Қостанай",
        "Ұлытау",
        "Үржар",
        "Ыстық",
        "Ішкі",
    ]
    assert sorted(names) != collated(names, str, "kk"), "code points would sort otherwise"


def test_russian_sorts_yo_with_ye() -> None:
    assert collated(["Ёлкино", "Жанаозен", "Есик"], str, "ru") == ["Ёлкино", "Есик", "Жанаозен"]


@pytest.mark.parametrize("locale", ["kk", "ru"])
async def test_the_region_choices_follow_the_alphabet(session: AsyncSession, locale: str) -> None:
    with use_locale(locale):
        names = [name for _code, name in await reference_service.region_choices(session)]
    assert len(names) >= 17
    if locale == "kk":
        assert names == sorted(names, key=alphabet_key)
        assert names.index("Ақмола облысы") < names.index("Атырау облысы")
        assert names[-1] != "Ұлытау облысы"
    else:
        assert names == collated(names, str, "ru")
        assert names.index("Акмолинская область") < names.index("Алматинская область")
