"""The Financial Center creates API tokens for its own account (its systems pull with them);
an administrator for any account, also from the command line."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from service.enums import UserRole
from tests.factories import create
from tests.support import MakeUser

ROOT = Path(__file__).resolve().parents[2]


async def test_the_financial_center_manages_its_own_tokens(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, make_user: MakeUser
) -> None:
    fc = await make_user(UserRole.financial_center)
    mine = (await anonymous.get("/api/v1/auth/me", headers=fc)).json()["user"]
    other = await create(
        client, "/users", {"username": "fc-other", "full_name": "Other", "role": "financial_center"}
    )
    created = await anonymous.post(
        "/api/v1/api-tokens",
        json={"name": "mirror", "user_id": mine["id"], "scopes": ["read", "monitoring"]},
        headers=fc,
    )
    assert created.status_code == 201, created.text
    token = created.json()
    pulls = await anonymous.get(
        "/api/v1/monitoring/changes", headers={"Authorization": f"Bearer {token['token']}"}
    )
    assert pulls.status_code == 200
    refused = await anonymous.post(
        "/api/v1/api-tokens",
        json={"name": "not mine", "user_id": other["id"], "scopes": ["read"]},
        headers=fc,
    )
    assert refused.status_code == 403
    listed = (await anonymous.get("/api/v1/api-tokens", headers=fc)).json()["items"]
    assert {t["user_id"] for t in listed} == {mine["id"]}
    revoked = await anonymous.post(f"/api/v1/api-tokens/{token['id']}/revoke", headers=fc)
    assert revoked.status_code == 200
    # One's own token needs no account named.
    own = await anonymous.post(
        "/api/v1/api-tokens", json={"name": "mine too", "scopes": ["read"]}, headers=fc
    )
    assert own.status_code == 201, own.text
    assert own.json()["user_id"] == mine["id"]


def test_an_administrator_creates_a_token_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "SERVICE_DATABASE_URL": url}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "service", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("migrate").returncode == 0
    admin = run("create-admin", "aigul", "--password-stdin", stdin="a strong passphrase\n")
    assert admin.returncode == 0, admin.stderr
    done = run(
        "create-token", "aigul", "--name", "mirror", "--scope", "read", "--scope", "monitoring"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("created API token")
    assert lines[1].startswith("srp_")
    unknown = run("create-token", "nobody", "--name", "x", "--scope", "read")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "refused: no account nobody"
