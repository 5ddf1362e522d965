"""Settings, read from the environment (prefix ``SERVICE_``) or a ``.env`` file."""

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SECRET = "development-only-secret-change-me-0123456789"


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
        default=5,
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
    database_pool_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description="How long a request waits for a free connection of the pool.",
    )
    secret_key: str = Field(default=DEFAULT_SECRET, min_length=32)
    page_size_default: int = Field(default=50, ge=1, le=1000)
    page_size_max: int = Field(default=500, ge=1, le=10000)
    cors_origins: list[str] = Field(default_factory=list)

    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    jwt_algorithm: str = "HS256"
    # argon2id cost; the defaults are the library's (about 64 MiB and 3 passes).
    argon2_time_cost: int = Field(default=3, ge=1, le=20)
    argon2_memory_cost_kib: int = Field(default=65536, ge=8, le=1_048_576)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    login_lock_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Risk thresholds and the breach procedure (docs/RULES.md gives each one's source).
    risk_registration_warning_days: int = Field(default=10, ge=1, le=365)
    risk_registration_fine_days: int = Field(default=30, ge=1, le=365)
    risk_temporary_expiry_days: int = Field(default=30, ge=1, le=365)
    risk_permanent_registration_months: int = Field(default=12, ge=1, le=60)
    risk_resettlement_window_months: int = Field(default=6, ge=1, le=24)
    risk_resettlement_warning_days: int = Field(default=60, ge=1, le=365)
    risk_dormitory_warning_days: int = Field(default=45, ge=1, le=365)
    risk_start_warning_days: int = Field(default=30, ge=1, le=365)
    risk_start_escalation_days: int = Field(default=30, ge=1, le=365)
    risk_start_critical_days: int = Field(default=90, ge=1, le=730)
    risk_gap_months: int = Field(default=2, ge=1, le=24)
    risk_suspension_ending_days: int = Field(default=30, ge=1, le=365)
    risk_unverified_months: int = Field(default=6, ge=1, le=60)
    breach_notice_days: int = Field(default=30, ge=1, le=365)
    trust_forwarded_for: bool = Field(
        default=False, description="Take the client address from X-Forwarded-For (behind a proxy)."
    )

    @model_validator(mode="after")
    def _refuse_default_secret_outside_development(self) -> "Settings":
        # A deployment that forgot its secret must not start and sign tokens anyone can forge.
        if self.environment == Environment.production and self.secret_key == DEFAULT_SECRET:
            raise ValueError("SERVICE_SECRET_KEY must be set outside development")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
