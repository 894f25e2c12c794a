"""Settings, migrations and the demo seed (what `make run` does before serving)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import ValidationError
from starlette.testclient import TestClient

from examples.harbor.core.config import Settings
from examples.harbor.core.database import Database
from examples.harbor.main import create_app
from examples.harbor.seed import prepare_demo
from examples.harbor.tables import metadata

ROOT = Path(__file__).resolve().parents[2]


def test_the_migrations_build_exactly_the_models(database_url: str) -> None:
    async def drift() -> list[Any]:
        database = Database(Settings(_env_file=None, database_url=database_url))
        try:
            async with database.engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
                )
        finally:
            await database.dispose()

    assert asyncio.run(drift()) == []


def test_startup_migrates_an_empty_database_and_is_idempotent(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/new.db",
        webhook_worker_enabled=False,
    )
    for _ in range(2):  # the second start finds the schema up to date
        with TestClient(create_app(settings)) as client:
            assert client.get("/health/ready").json() == {"status": "ok"}
            assert client.get("/api/v1/orders").status_code == 401  # tables exist, no key


def test_the_demo_seed_issues_a_working_key_and_revokes_the_last(database_url: str) -> None:
    settings = Settings(_env_file=None, database_url=database_url, webhook_worker_enabled=False)
    first = asyncio.run(prepare_demo(settings)).api_key
    second = asyncio.run(prepare_demo(settings)).api_key
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/orders", headers={"X-API-Key": second}).status_code == 200
        assert client.get("/api/v1/orders", headers={"X-API-Key": first}).status_code == 401


def test_the_command_prepares_and_prints_the_key_and_docs(tmp_path: Path) -> None:
    env = {"HARBOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "examples.harbor", "--no-serve", "--port", "8123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "demo partner API key: hp_" in result.stdout
    assert "http://127.0.0.1:8123/docs" in result.stdout
    assert (tmp_path / "cli.db").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db/harbor", "postgresql+asyncpg://u:p@db/harbor"),
        ("postgresql://u@db/harbor", "postgresql+asyncpg://u@db/harbor"),
        ("postgresql+asyncpg://u@db/h", "postgresql+asyncpg://u@db/h"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_urls_get_the_async_driver(given: str, expected: str) -> None:
    settings = Settings(_env_file=None, database_url=given)
    assert settings.database_url.get_secret_value() == expected
    assert "u:p" not in repr(settings)  # a secret: never printed


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/plain")
    monkeypatch.setenv("HARBOR_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("HARBOR_WEBHOOK_MAX_ATTEMPTS", "3")
    settings = Settings(_env_file=None)
    assert settings.database_url.get_secret_value() == "postgresql+asyncpg://db/plain"
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.webhook_max_attempts == 3


def test_a_wildcard_cors_origin_is_refused() -> None:
    with pytest.raises(ValidationError, match="explicitly"):
        Settings(_env_file=None, cors_origins=["*"])
