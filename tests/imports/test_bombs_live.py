"""The bombs of the hardening review against a real server, its memory measured: a body of a
million empty fields or objects sent before sign-in, and workbooks of a few hundred kilobytes
that unpack to 390 MB sent by a career centre. Each is refused with a 4xx, the server's peak
resident memory stays under 300 MB, and it keeps answering its health checks."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.databases import BACKENDS
from tests.imports.bombs import MIB, one_string_bomb, shared_strings_bomb
from tests.live import LiveServer, live_server

PEAK_KIB = 300 * 1024
UNPACKED = 390 * MIB


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    work_dir: Path = tmp_path_factory.mktemp(f"bombs-{request.param}")
    with live_server(request.param, work_dir, "bombs") as running:
        yield running


def streamed(piece: bytes, total: int) -> Iterator[bytes]:
    """A body with no Content-Length, as a client that lies about nothing but sends on."""
    for _ in range(total // len(piece)):
        yield piece


def test_bodies_sent_before_sign_in_are_refused_unparsed(server: LiveServer) -> None:
    size = 25 * MIB
    form = b"a=&" * (size // 3)
    for path, body, kind in (
        ("/app/imports", form, "application/x-www-form-urlencoded"),
        (
            "/api/v1/monitoring/contributions",
            b"[" + b"{}," * (size // 3) + b"{}]",
            "application/json",
        ),
        ("/app/imports", streamed(b"a=&" * 21_846, size), "application/x-www-form-urlencoded"),
    ):
        response = httpx.post(
            f"{server.url}{path}", content=body, headers={"Content-Type": kind}, timeout=60
        )
        assert response.status_code == 413, (path, response.text)
        assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200
    assert server.memory_kib() < PEAK_KIB


@pytest.mark.parametrize("bomb", [shared_strings_bomb, one_string_bomb], ids=lambda b: b.__name__)
def test_a_workbook_that_unpacks_to_390_mb_is_refused_in_bounded_memory(
    server: LiveServer, bomb: object
) -> None:
    assert callable(bomb)
    data = bomb(UNPACKED)
    assert len(data) < 2 * MIB
    before = server.memory_kib("VmRSS")
    response = server.api(
        "POST",
        "/imports",
        as_user="cc-petropavl",
        files={"file": ("cohort.xlsx", data)},
        data={"kind": "graduates"},
        timeout=120,
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["code"] == "workbook_too_large"
    assert server.memory_kib() < PEAK_KIB
    # Nothing of the refused file is kept: the server is back near where it was.
    assert server.memory_kib("VmRSS") < before + 64 * 1024
