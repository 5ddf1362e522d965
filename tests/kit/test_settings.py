"""Secrets fail closed: outside development the service refuses to start with a secret
anyone can know, and nowhere with one shorter than 32 bytes."""

import os
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


@pytest.mark.parametrize("environment", [Environment.production, Environment.testing])
@pytest.mark.parametrize("secret", [DEFAULT_SECRET, EXAMPLE_SECRET])
def test_known_secrets_are_refused_outside_development(
    environment: Environment, secret: str
) -> None:
    with pytest.raises(ValueError, match="built-in or example value"):
        Settings(environment=environment, secret_key=secret)


def test_the_built_in_secret_serves_development_only() -> None:
    settings = Settings(environment=Environment.development, secret_key=DEFAULT_SECRET)
    assert settings.secret_key == DEFAULT_SECRET


@pytest.mark.parametrize("environment", list(Environment))
def test_a_short_secret_is_refused_everywhere(environment: Environment) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        Settings(environment=environment, secret_key="x" * 31)


def test_length_counts_bytes_not_characters() -> None:
    # 16 Cyrillic letters are 32 bytes in UTF-8.
    assert Settings(environment=Environment.production, secret_key="ж" * 16)
    assert Settings(environment=Environment.production, secret_key=STRONG)


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
