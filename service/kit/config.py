"""Settings, read from the environment (prefix ``SERVICE_``) or a ``.env`` file."""

import math
import zlib
from collections import Counter
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SECRET = "development-only-secret-change-me-0123456789"
# The value .env.example shows (a test keeps the two equal): copied as it is, it is no secret.
EXAMPLE_SECRET = "change-me-to-a-long-random-string-of-32-or-more-chars"
MIN_SECRET_BYTES = 32
MIN_SECRET_BITS = 90.0


class Environment(StrEnum):
    development = "development"
    testing = "testing"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SERVICE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Environment = Environment.development
    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'serpin.db'}",
        description="SQLAlchemy URL with an async driver: sqlite+aiosqlite or postgresql+psycopg.",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    database_echo: bool = False
    # A database that is down or frozen must give fast 503s, not requests that hang.
    database_connect_timeout_seconds: int = Field(
        default=2,
        ge=2,
        le=300,
        description="PostgreSQL connect_timeout: give up opening a connection after this "
        "(libpq's minimum is 2).",
    )
    database_statement_timeout_ms: int = Field(
        default=15000,
        ge=0,
        le=3_600_000,
        description="PostgreSQL statement_timeout of every connection (0: none); the service "
        "also drops a connection whose server has not answered 2 s after it.",
    )
    database_answer_seconds: float = Field(
        default=2.0,
        ge=0.5,
        le=60,
        description="A wait for PostgreSQL this long asks the server, on a new connection "
        "(within the connect timeout), whether it answers at all: a frozen server is then "
        "given up on (503) while a slow statement goes on.",
    )
    database_pool_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        le=300,
        description="How long a request waits for a free connection of the pool.",
    )
    secret_key: str = Field(
        default=DEFAULT_SECRET,
        description="Signs access tokens and sessions: 32 bytes or more, random, kept secret.",
    )
    page_size_default: int = Field(default=50, ge=1, le=1000)
    page_size_max: int = Field(default=500, ge=1, le=10000)
    cors_origins: list[str] = Field(default_factory=list)
    api_docs: bool = Field(
        default=True, description="Serve /docs, /redoc and /openapi.json (off: a closed API)."
    )
    public_url: str = Field(
        default="",
        pattern=r"^(https?://[^/?#\s]+(/[^?#\s]*)?)?$",
        description="The address clients reach the service at (https://tracker.example.kz): "
        "problem types become absolute URIs under it; empty: relative (/problems/...).",
    )
    metrics: bool = Field(
        default=False, description="Serve Prometheus metrics at /metrics (off: not served)."
    )
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    max_anonymous_body_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        le=1024 * 1024,
        description="Bodies of callers not signed in (sign-in and password forms).",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        le=100 * 1024 * 1024,
        description="Bodies of signed-in callers (JSON documents, forms).",
    )
    max_import_body_bytes: int = Field(
        default=25 * 1024 * 1024,
        ge=1024,
        le=1024 * 1024 * 1024,
        description="Bodies of the import endpoints (spreadsheets, contribution batches), "
        "for the roles that may import there.",
    )
    import_max_rows: int = Field(
        default=100_000,
        ge=1,
        le=1_000_000,
        description="Data rows one spreadsheet import may hold.",
    )
    database_conflict_retries: int = Field(
        default=3, ge=0, le=10, description="Reruns of a request a deadlock cancelled."
    )
    idempotency_retention_hours: int = Field(
        default=72, ge=1, le=24 * 365, description="How long a replayable response is kept."
    )

    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_minutes: int = Field(
        default=480,
        ge=5,
        le=24 * 60,
        description="How long a signed-in browser stays signed in (a working day).",
    )
    jwt_algorithm: str = "HS256"
    # argon2id cost; the defaults are the library's (about 64 MiB and 3 passes).
    argon2_time_cost: int = Field(default=3, ge=1, le=20)
    argon2_memory_cost_kib: int = Field(default=65536, ge=8, le=1_048_576)
    invitation_hours: int = Field(
        default=72,
        ge=1,
        le=30 * 24,
        description="How long a graduate's one-time link to set a password (an invitation "
        "or a password reset) stays valid.",
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=100, description="Failures of one account from one address."
    )
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_lock_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_account_max_failures: int = Field(
        default=25, ge=1, le=10_000, description="Failures of one account from any address."
    )
    login_account_pause_seconds: int = Field(default=10, ge=1, le=3600)
    login_address_max_failures: int = Field(
        default=100, ge=1, le=100_000, description="Failures from one address, any account."
    )
    # Risk thresholds and the breach procedure (docs/RULES.md gives each one's source).
    risk_registration_warning_days: int = Field(default=10, ge=1, le=365)
    risk_registration_fine_days: int = Field(default=30, ge=1, le=365)
    risk_temporary_expiry_days: int = Field(default=30, ge=1, le=365)
    risk_permanent_registration_months: int = Field(default=12, ge=1, le=60)
    risk_resettlement_warning_days: int = Field(default=60, ge=1, le=365)
    risk_dormitory_warning_days: int = Field(default=45, ge=1, le=365)
    risk_start_warning_days: int = Field(
        default=30,
        ge=0,
        le=365,
        description="Days before the start deadline with a reminder; 0: none.",
    )
    risk_start_escalation_days: int = Field(default=30, ge=1, le=365)
    risk_start_critical_days: int = Field(default=90, ge=1, le=730)
    risk_gap_months: int = Field(default=2, ge=1, le=24)
    risk_suspension_ending_days: int = Field(default=30, ge=1, le=365)
    risk_unverified_months: int = Field(default=6, ge=1, le=60)
    breach_notice_days: int = Field(default=30, ge=1, le=365)
    forwarded_allow_ips: list[str] = Field(
        default_factory=list,
        description="Addresses of the reverse proxies whose X-Forwarded-For is believed; "
        "empty: none (the connection's own address is the client's).",
    )

    @model_validator(mode="after")
    def _fail_closed(self) -> "Settings":
        # A deployment that forgot its secret or its address must not start: tokens anyone
        # can forge, links that follow whatever Host a request names.
        problem = secret_problem(self.secret_key, self.environment, self.is_sqlite)
        if problem is not None:
            raise ValueError(problem)
        if self.environment == Environment.production and not self.public_url:
            raise ValueError(
                "SERVICE_PUBLIC_URL is required in production: the links sent to graduates "
                "are built from it, never from a request's Host header"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def secret_problem(secret: str, environment: Environment, on_sqlite: bool) -> str | None:
    """Why ``secret`` may not sign tokens here, or None. The built-in secret serves only a
    development server on its own SQLite file; outside development a secret must also not be
    the example's (however it is spaced or cased) nor plainly guessable."""
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"SERVICE_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes"
    known = {DEFAULT_SECRET, EXAMPLE_SECRET}
    if secret == DEFAULT_SECRET and environment == Environment.development and on_sqlite:
        return None
    if secret.strip().strip("\"'").strip().lower() in known:
        return (
            "SERVICE_SECRET_KEY is the built-in or example value; set a random secret of "
            f"{MIN_SECRET_BYTES}+ bytes (the built-in one serves only development on SQLite)"
        )
    if environment != Environment.development and secret_bits(secret) < MIN_SECRET_BITS:
        return (
            "SERVICE_SECRET_KEY is too easy to guess (repeated or few different characters); "
            "generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return None


def secret_bits(secret: str) -> float:
    """A rough estimate of a secret's entropy: the lesser of its length times the Shannon
    entropy of its characters (few different characters) and five bits a byte of it
    compressed (a repeated word or run). 32 random hexadecimal digits (128 bits) come out
    at 99 or more; a word or a run of digits said again and again, under 80."""
    counts = Counter(secret)
    total = len(secret)
    shannon = -sum(n / total * math.log2(n / total) for n in counts.values()) * total
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = len(packer.compress(secret.encode()) + packer.flush())
    return min(shannon, 5.0 * packed)


class ConfigurationError(RuntimeError):
    """The settings are unsafe or invalid: the service refuses to start."""


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            (f"SERVICE_{str(e['loc'][0]).upper()}: " if e["loc"] else "")
            + str(e["msg"]).removeprefix("Value error, ")
            for e in exc.errors()
        )
        raise ConfigurationError(f"refusing to start: {problems}") from None
