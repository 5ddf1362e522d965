"""Signing a test client in to the workspace and reading its pages."""

import re
from html.parser import HTMLParser

import httpx

CSRF = "test-form-token"


def sign_in_as(client: httpx.AsyncClient, authorization: dict[str, str]) -> None:
    """Give the client the session cookie of the user behind ``authorization`` (a header from
    ``make_user``) and a form token, as a browser that signed in holds them."""
    token = authorization["Authorization"].removeprefix("Bearer ")
    client.headers.pop("Authorization", None)
    client.cookies.set("serpin_session", token, domain="test.local", path="/app")
    client.cookies.set("serpin_csrf", CSRF, domain="test.local", path="/app")


def form(**fields: object) -> dict[str, str]:
    """A form's fields with the form token."""
    return {"csrf_token": CSRF} | {k: str(v) for k, v in fields.items()}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text(html: str) -> str:
    """What a reader sees of a page, whitespace folded."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()
