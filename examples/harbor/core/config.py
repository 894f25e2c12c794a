"""Settings, read once at start-up from ``HARBOR_*`` environment variables and ``.env``."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./harbor.db"


class Settings(BaseSettings):
    """Everything Harbor can be configured with; invalid values stop the start-up.

    ``DATABASE_URL`` (or ``HARBOR_DATABASE_URL``) selects the database: the default is a
    SQLite file next to the working directory; a ``postgresql://`` URL selects asyncpg.
    """

    model_config = SettingsConfigDict(
        env_prefix="HARBOR_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: SecretStr = Field(
        default=SecretStr(DEFAULT_DATABASE_URL),
        validation_alias=AliasChoices("HARBOR_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    db_pool_size: int = Field(default=10, ge=1, le=100)
    migrate_on_startup: bool = True
    # A server-side secret mixed into API key hashes: a leaked table alone verifies nothing.
    api_key_pepper: SecretStr = SecretStr("harbor-development-pepper")
    cors_origins: Annotated[list[str], NoDecode] = ["http://127.0.0.1:8000"]
    docs_enabled: bool = True
    log_level: str = "INFO"
    log_json: bool = True
    idempotency_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    webhook_worker_enabled: bool = True
    webhook_poll_interval: float = Field(default=1.0, gt=0)
    webhook_backoff_base: float = Field(default=2.0, gt=0)
    webhook_backoff_max: float = Field(default=3600.0, gt=0)
    webhook_max_attempts: int = Field(default=12, ge=1)
    webhook_timeout: float = Field(default=10.0, gt=0)
    webhook_lease_seconds: float = Field(default=60.0, gt=0)
    webhook_batch_size: int = Field(default=20, ge=1, le=500)
    # At shutdown, how long in-flight deliveries may finish before their leases are handed back.
    webhook_shutdown_grace: float = Field(default=5.0, ge=0)

    @field_validator("database_url", mode="before")
    @classmethod
    def _async_driver(cls, value: object) -> object:
        """Accept the usual ``postgres://`` and ``postgresql://`` URLs and pick asyncpg."""
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(raw, str):
            for prefix in ("postgres://", "postgresql://"):
                if raw.startswith(prefix):
                    return "postgresql+asyncpg://" + raw[len(prefix) :]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Allow ``HARBOR_CORS_ORIGINS=https://a.example,https://b.example``."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _explicit_origins(cls, value: list[str]) -> list[str]:
        if "*" in value:
            raise ValueError("list the allowed origins explicitly; '*' is not accepted")
        return value

    @property
    def is_sqlite(self) -> bool:
        """True when the database is a SQLite file (or memory)."""
        return self.database_url.get_secret_value().startswith("sqlite")
