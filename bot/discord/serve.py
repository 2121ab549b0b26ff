"""Running the bot: check the settings, connect, and stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

import discord

from bot.core.verdict_clauses import warm as warm_verdicts
from bot.discord.answers import ChatCore
from bot.discord.client import QABotClient
from bot.discord.config import DiscordConfigError, SyncMode, check_settings
from bot.logs import redacting
from bot.settings import Settings

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 10.0


async def serve(
    settings: Settings,
    chat: ChatCore,
    *,
    sync: SyncMode = "none",
    stop: asyncio.Event | None = None,
    handle_signals: bool = False,
) -> int:
    """Run the bot until ``stop`` is set (or SIGINT/SIGTERM); 0 after a clean close."""
    token = check_settings(settings, sync)
    stop = stop or asyncio.Event()
    client = QABotClient(settings, chat, sync=sync)
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        with redacting(token):
            return await _run(client, token, stop)
    except discord.LoginFailure:
        raise DiscordConfigError(
            "Discord rejected QABOT_DISCORD_TOKEN: copy the bot token again from the "
            "developer portal (Bot -> Reset Token)."
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise DiscordConfigError(
            "Discord refused the gateway intents for this bot; see docs/DISCORD.md."
        ) from None
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)


async def _run(client: QABotClient, token: str, stop: asyncio.Event) -> int:
    async with client:
        runner = asyncio.create_task(client.start(token))
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if runner.done():
            runner.result()  # the client stopped by itself: raise what stopped it
            return 0
        log.info("stopping: closing the gateway session")
        await client.close()
        try:
            await asyncio.wait_for(runner, SHUTDOWN_SECONDS)
        except discord.LoginFailure:
            raise
        except Exception:
            # Asked to stop (perhaps mid-login): whatever the close interrupted is moot.
            log.debug("ignored while stopping", exc_info=True)
        # A login that was under way when close() ran may have opened a new session.
        await client.http.close()
    return 0


def run_discord(settings: Settings, chat: ChatCore, *, sync: SyncMode = "none") -> int:
    """Run the Discord bot until SIGINT/SIGTERM; the exit code (0 after a clean stop).

    Logging is set up by the caller (``bot.logs.configure_logging``), as for every command.
    """
    warm_verdicts()
    return asyncio.run(serve(settings, chat, sync=sync, handle_signals=True))
