"""The Discord adapter: /ask, mentions and DMs in, cited embeds and buttons out.

It only translates: a Discord event becomes ``chat.ask(question, conversation_id)`` and the
Answer becomes messages. What it offers:

- :func:`run_discord` / :func:`serve`: run the bot (``qabot discord``); :class:`DiscordConfigError`
  names a setting it cannot run with;
- :class:`QABotClient`: the discord.py client (``client``), its slash commands (``commands``),
  persistent buttons (``views``), per-user limit (``cooldown``) and news commands (``news``);
- pure rendering of answers within Discord's limits (``render``) and the vote log (``feedback``).

Inside this package ``import discord`` is the discord.py library (imports are absolute).
"""

from __future__ import annotations

from bot.discord.answers import ChatCore
from bot.discord.client import QABotClient
from bot.discord.config import DiscordConfigError, SyncMode
from bot.discord.serve import run_discord, serve

__all__ = ["ChatCore", "DiscordConfigError", "QABotClient", "SyncMode", "run_discord", "serve"]
