"""Helpers for the workspace's page tests: signing a client in through the sign-in form, and
reading a page as its reader does (its tables, its scripts, its data islands)."""

import json
import re
from html.parser import HTMLParser
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import hash_password
from service.enums import UserRole
from service.models.auth import User
from service.ui.session import CSRF_FIELD, CSRF_HEADER, form_token

FORM_TOKEN = re.compile(rf'name="{CSRF_FIELD}" value="([^"]+)"')

CSRF = "test-form-token"


def sign_in_as(client: httpx.AsyncClient, authorization: dict[str, str]) -> None:
    """Give the client the session cookie of the user behind ``authorization`` (a header from
    ``make_user``) and a form token, as a browser that signed in holds them."""
    token = authorization["Authorization"].removeprefix("Bearer ")
    client.headers.pop("Authorization", None)
    client.cookies.set("serpin_session", token, domain="test.local", path="/app")
    client.cookies.set("serpin_csrf", CSRF, domain="test.local", path="/app")
    # The form token is the cookie signed with the session: sent as htmx sends it.
    client.headers[CSRF_HEADER] = form_token(CSRF, token)


def form_token_of(client: httpx.AsyncClient) -> str:
    """The form token the client's pages carry now (its cookie signed with its session)."""
    return form_token(client.cookies["serpin_csrf"], client.cookies.get("serpin_session"))


def form(**fields: object) -> dict[str, str]:
    """A form's fields (its token goes in the header ``sign_in_as`` sets)."""
    return {k: str(v) for k, v in fields.items()}


async def sign_in(
    client: httpx.AsyncClient, username: str, password: str, next: str = "/app"
) -> httpx.Response:
    """Signs in as a browser does: the form (and its token cookie), then the form sent back."""
    form = await client.get("/app/sign-in")
    found = FORM_TOKEN.search(form.text)
    assert found, "the sign-in form carries no form token"
    response = await client.post(
        "/app/sign-in",
        data={CSRF_FIELD: found.group(1), "username": username, "password": password, "next": next},
    )
    assert response.status_code == 303, response.text
    return response


async def add_user(
    session: AsyncSession, username: str, password: str, role: UserRole, **binding: Any
) -> User:
    user = User(
        username=username,
        full_name=f"Test {role.value}",
        role=role,
        password_hash=await hash_password(password),
        **binding,
    )
    session.add(user)
    await session.commit()  # a savepoint: the test's transaction is rolled back after
    return user


class Page(HTMLParser):
    """A page's tables (by id: rows of cell texts, the header row first), its scripts (their
    attributes and text) and the elements that carry a style attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html = ""
        self.tables: dict[str, list[list[str]]] = {}
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styled: list[str] = []
        self._table: list[list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._script: tuple[dict[str, str | None], list[str]] | None = None

    @classmethod
    def of(cls, html: str) -> "Page":
        page = cls()
        page.html = html
        page.feed(html)
        page.close()
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if "style" in named:
            self.styled.append(tag)
        if tag == "table":
            self._table = self.tables.setdefault(named.get("id") or str(len(self.tables)), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []
        elif tag == "script":
            self._script = (named, [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._script is not None:
            self._script[1].append(data)

    def rows(self, table: str) -> dict[str, dict[str, str]]:
        """A table's rows by their header cell, each row's cells by their column's header."""
        header, *body = self.tables[table]
        return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in body}

    def data_island(self, element_id: str) -> Any:
        for attrs, text in self.scripts:
            if attrs.get("id") == element_id and attrs.get("type") == "application/json":
                return json.loads(text)
        raise AssertionError(f"no data island #{element_id}")


def whole(text: str) -> int:
    """A count as the page writes it in English (1,234)."""
    return int(text.replace(",", ""))


def percent(text: str) -> float:
    """A percentage as the page writes it in English (64.6%), in points."""
    assert re.fullmatch(r"[0-9,]+\.[0-9]%", text), text
    return float(text.rstrip("%").replace(",", ""))


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
