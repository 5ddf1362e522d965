"""A cell's date: a day that does not exist is called impossible, not misspelt."""

import pytest

from service.imports.values import CellError, day


@pytest.mark.parametrize("written", ["31.02.2025", "29.02.2023", "2025-13-01", "00.01.2024"])
def test_an_impossible_day_is_called_so(written: str) -> None:
    with pytest.raises(CellError) as refused:
        day(written)
    assert refused.value.code == "date_impossible"
    assert written in refused.value.message


@pytest.mark.parametrize("written", ["next week", "1.2", "2025/02/01x"])
def test_what_is_no_date_is_asked_for_in_the_usual_form(written: str) -> None:
    with pytest.raises(CellError) as refused:
        day(written)
    assert refused.value.code == "date_format"
