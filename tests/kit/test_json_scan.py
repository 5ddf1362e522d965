"""JSON measured without a parse: its depth and whether a string could hold an unstorable
character, decided in C, as the input guard does before anything parses a body."""

import json

import httpx
import pytest

from service.kit import input_guard
from service.kit.json_scan import deeper_than, may_hold, text_of

UNSTORABLE = input_guard._UNSTORABLE


def nested(depth: int, opening: str = "[", closing: str = "]") -> str:
    return opening * depth + closing * depth


@pytest.mark.parametrize(("depth", "deep"), [(0, False), (1, False), (64, False), (65, True)])
def test_depth_is_counted_in_arrays_and_objects(depth: int, deep: bool) -> None:
    assert deeper_than(nested(depth), 64) is deep
    objects = '{"a":' * depth + "1" + "}" * depth
    assert deeper_than(objects, 64) is deep


def test_brackets_in_strings_do_not_count_and_open_ones_do() -> None:
    assert not deeper_than('["' + "[" * 1000 + '", "\\"[[["]', 64)
    assert deeper_than("[" * 65, 64)  # malformed, yet a parser would recurse into it
    assert not deeper_than("[1, 2", 64)


@pytest.mark.parametrize(
    ("written", "held"),
    [
        ('"x\\u0000"', True),
        ('"x\\u001F"', True),
        ('"\\b"', True),
        ('"\\f"', True),
        ('"\\u0085"', True),
        ('"\\u202e"', True),
        ('"\\u2067"', True),
        ('"\\udc00"', True),
        ('"\u2028"', True),
        ('"\\\\u0000"', False),  # a backslash, then text
        ('"\\\\b"', False),
        ('"\\u0009\\n\\r\\t"', False),
        ('"Ақмола"', False),
    ],
)
def test_an_unstorable_character_is_found_written_or_escaped(written: str, held: bool) -> None:
    assert may_hold(written, UNSTORABLE) is held
    if held and "\\\\" not in written:
        # Whatever the scan finds, the parse then confirms (but for a surrogate pair).
        assert input_guard.unstorable_fields(json.loads(written), "body") == ["body"]


def test_json_is_read_in_the_encodings_json_allows() -> None:
    for encoding in ("utf-8", "utf-16", "utf-32"):
        assert text_of('{"a": "ә"}'.encode(encoding)) == '{"a": "ә"}'
    assert text_of(b"\xff\xfe\x00") is None


async def test_a_body_without_such_a_character_is_never_parsed_by_the_guard(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def walked(*_args: object) -> list[str]:
        raise AssertionError("the guard parsed a clean body")

    monkeypatch.setattr(input_guard, "unstorable_fields", walked)
    wide = "[" + "0," * 300_000 + "0]"
    response = await client.post(
        "/api/v1/students", content=wide, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422  # the application's own refusal of a list
