"""The Discord settings checked before connecting: the token, the two URLs, the sync mode."""

from __future__ import annotations

import re
from typing import Literal

from bot.settings import Settings
from retrieval.errors import BadInputError

SyncMode = Literal["none", "global", "guild"]


class DiscordConfigError(BadInputError):
    """A setting the Discord bot cannot run with; the message names the setting."""


def require_token(settings: Settings) -> str:
    """The bot token, or DiscordConfigError naming QABOT_DISCORD_TOKEN."""
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise DiscordConfigError(
            "QABOT_DISCORD_TOKEN is not set: put the bot token from the Discord developer "
            "portal in the environment or .env."
        )
    return token


def require_guild(settings: Settings) -> int:
    """The guild that ``--sync guild`` registers the commands to."""
    if settings.discord_guild_id is None:
        raise DiscordConfigError("--sync guild needs QABOT_DISCORD_GUILD_ID to be set.")
    return settings.discord_guild_id


def check_settings(settings: Settings, sync: SyncMode) -> str:
    """The token, once the Discord settings are known to be usable; else DiscordConfigError."""
    token = require_token(settings)
    if not re.match(r"https?://", settings.discord_api_base):
        raise DiscordConfigError(
            f"QABOT_DISCORD_API_BASE must be an http(s) URL, not {settings.discord_api_base!r}."
        )
    if settings.discord_gateway and not re.match(r"wss?://", settings.discord_gateway):
        raise DiscordConfigError(
            f"QABOT_DISCORD_GATEWAY must be a ws(s) URL, not {settings.discord_gateway!r}."
        )
    if sync == "guild":
        require_guild(settings)
    return token
