"""Small helpers that test modules share (fixtures live in ``conftest.py``)."""

from collections.abc import Awaitable, Callable

import httpx

WRITERS = 16
"""Concurrent writers in the tests with real commits (the pools are sized for them)."""

MakeUser = Callable[..., Awaitable[dict[str, str]]]
"""The ``make_user`` fixture: a role (and its binding) in, an Authorization header out."""


def only_error(response: httpx.Response) -> tuple[str, str]:
    """The field and code of a refusal's one field error."""
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]["field"], errors[0]["code"]
