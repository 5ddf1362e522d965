"""Secrets fail closed: outside development the service refuses to start with a secret
anyone can know, and nowhere with one shorter than 32 bytes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from service.kit.config import (
    DEFAULT_SECRET,
    EXAMPLE_SECRET,
    ConfigurationError,
    Environment,
    Settings,
    get_settings,
)

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k3yH8Jp2qX7vL0sD9fG4hT6wZ1bN5mQa"
PUBLIC = "https://tracker.example.kz"


@pytest.mark.parametrize("environment", [Environment.production, Environment.testing])
@pytest.mark.parametrize("secret", [DEFAULT_SECRET, EXAMPLE_SECRET])
def test_known_secrets_are_refused_outside_development(
    environment: Environment, secret: str
) -> None:
    for written in (secret, f"{secret} ", f" {secret.upper()}\t", f'"{secret}"'):
        with pytest.raises(ValueError, match="built-in or example value"):
            Settings(environment=environment, secret_key=written, public_url=PUBLIC)


@pytest.mark.parametrize(
    "secret",
    ["a" * 32, "ab" * 20, "0123456789" * 4, "password" * 5, "ж" * 16],
    ids=["one letter", "two letters", "digits", "a word", "one cyrillic letter"],
)
def test_a_guessable_secret_is_refused_outside_development(secret: str) -> None:
    with pytest.raises(ValueError, match="too easy to guess"):
        Settings(environment=Environment.production, secret_key=secret, public_url=PUBLIC)
    assert Settings(environment=Environment.development, secret_key=secret)


def test_generated_secrets_pass() -> None:
    for _ in range(200):
        for secret in (secrets.token_urlsafe(32), secrets.token_hex(16), secrets.token_hex(32)):
            Settings(environment=Environment.production, secret_key=secret, public_url=PUBLIC)


def test_the_built_in_secret_serves_only_a_development_server_on_sqlite() -> None:
    postgres = "postgresql+psycopg://serpin@db.example/serpin"
    with pytest.raises(ValueError, match="built-in or example value"):
        Settings(
            environment=Environment.development, secret_key=DEFAULT_SECRET, database_url=postgres
        )
    assert Settings(environment=Environment.development, secret_key=STRONG, database_url=postgres)


def test_production_needs_its_public_address() -> None:
    with pytest.raises(ValueError, match="SERVICE_PUBLIC_URL is required in production"):
        Settings(environment=Environment.production, secret_key=STRONG)
    assert Settings(environment=Environment.testing, secret_key=STRONG)


def test_the_built_in_secret_serves_development_only() -> None:
    settings = Settings(environment=Environment.development, secret_key=DEFAULT_SECRET)
    assert settings.secret_key == DEFAULT_SECRET


@pytest.mark.parametrize("environment", list(Environment))
def test_a_short_secret_is_refused_everywhere(environment: Environment) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        Settings(environment=environment, secret_key="x" * 31)


def test_length_counts_bytes_not_characters() -> None:
    # 24 Cyrillic letters are 48 bytes in UTF-8.
    cyrillic = "жқңөұүһіәғшщэюяёбвгдзклм"
    assert Settings(environment=Environment.production, secret_key=cyrillic, public_url=PUBLIC)
    assert Settings(environment=Environment.production, secret_key=STRONG, public_url=PUBLIC)


def test_the_example_file_holds_the_refused_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"SERVICE_SECRET_KEY={EXAMPLE_SECRET}\n" in example


def test_the_test_suite_runs_as_testing_with_a_secret_of_its_own() -> None:
    settings = get_settings()
    assert settings.environment == Environment.testing
    assert settings.secret_key not in (DEFAULT_SECRET, EXAMPLE_SECRET)


def test_get_settings_says_why_it_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_ENVIRONMENT", "production")
    monkeypatch.setenv("SERVICE_SECRET_KEY", EXAMPLE_SECRET)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match=r"refusing to start: .*example value"):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "service", "migrate"],
        [sys.executable, "-c", "import service.main"],
    ],
    ids=["cli", "application"],
)
def test_the_service_refuses_to_start(command: list[str], tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SERVICE_ENVIRONMENT": "production",
        "SERVICE_SECRET_KEY": DEFAULT_SECRET,
        "SERVICE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'refused.db'}",
    }
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "refusing to start: SERVICE_SECRET_KEY is the built-in or example value" in done.stderr
    assert not (tmp_path / "refused.db").exists()
    if command[1] == "-m":
        assert done.stderr.count("\n") == 1, done.stderr  # one line, no traceback


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = {
        line.split("=", 1)[0].removeprefix("SERVICE_").lower()
        for line in example.splitlines()
        if line.startswith("SERVICE_")
    }
    assert documented == set(Settings.model_fields)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_serve_on_a_network_address_refuses_the_built_in_secret(host: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SERVICE_ENVIRONMENT": "development",
        "SERVICE_SECRET_KEY": DEFAULT_SECRET,
        "SERVICE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'dev.db'}",
    }
    command = [sys.executable, "-m", "service", "serve", "--host", host, "--port", "1"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"refusing to serve on {host} with the built-in SERVICE_SECRET_KEY" in done.stderr
