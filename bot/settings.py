"""The one settings class: ``QABOT_*`` from the environment and ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus"

Engine = Literal["bm25s", "rank-bm25"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def default_cache_dir() -> Path:
    """The per-user cache folder, e.g. ``~/.cache/qabot`` on Linux."""
    return Path(platformdirs.user_cache_dir("qabot"))


class Settings(BaseSettings):
    """Every knob of qabot; ``.env.example`` lists each with its default."""

    model_config = SettingsConfigDict(
        env_prefix="QABOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    corpus: Path = BUNDLED_CORPUS
    engine: Engine = "bm25s"
    k1: float = Field(default=0.7, gt=0)
    b: float = Field(default=0.4, ge=0, le=1)
    cache_dir: Path = Field(default_factory=default_cache_dir)
    use_cache: bool = True
    top_k: int = Field(default=15, ge=1, le=1000)
    max_question_chars: int = Field(default=1000, ge=10, le=100_000)
    conversation_turns: int = Field(default=4, ge=1, le=50)
    conversation_ttl_seconds: float = Field(default=1800, gt=0)
    log_level: LogLevel = "WARNING"

    discord_token: SecretStr | None = None
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway: str | None = None
    discord_guild_id: int | None = None
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: list[int] | None = None
    discord_cooldown_seconds: float = Field(default=5.0, ge=0)
    discord_cooldown_burst: int = Field(default=3, ge=1)
    feedback_path: Path = Path("feedback.jsonl")
    reload_interval_seconds: float = Field(default=0, ge=0)

    allow_private_urls: bool = False
    fetch_timeout_seconds: float = Field(default=20.0, gt=0)
    fetch_max_bytes: int = Field(default=5_000_000, ge=1024)
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    fetch_concurrency: int = Field(default=4, ge=1, le=32)
    fetch_host_delay_seconds: float = Field(default=1.0, ge=0)
    fetch_user_agent: str = "qabot/0.1 (news question-answering bot)"
    feed_interval_seconds: float = Field(default=0, ge=0)

    @field_validator("corpus", "cache_dir", "feedback_path")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        # A path written in .env as ~/something means the home folder, as in a shell.
        return value.expanduser()
