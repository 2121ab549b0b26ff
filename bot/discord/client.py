"""The bot's client: Discord events in, ``chat.ask`` on one worker thread, cited replies out."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import discord

from bot.discord.answers import AnswerMemory, Asker, ChatCore, conversation_id, strip_mentions_of
from bot.discord.commands import command_tree, sync_commands
from bot.discord.config import SyncMode
from bot.discord.cooldown import QuestionCooldown, slow_down_text
from bot.discord.endpoints import Endpoints
from bot.discord.feedback import FeedbackRecorder
from bot.discord.news import NewsRoom
from bot.discord.reloading import Reloader
from bot.discord.render import Reply, plain
from bot.discord.views import BUTTONS, NO_MENTIONS, ButtonDesk, message_kwargs, send_kwargs
from bot.settings import Settings

log = logging.getLogger(__name__)

HELP_TEXT = "Ask me about the articles: mention me with a question, DM me, or use /ask."
_USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


class QABotClient(discord.AutoShardedClient):
    """The bot: a sharded ``discord.Client`` wired to one chat core.

    AutoShardedClient asks Discord how many shards to open (one for a small bot) and runs them
    all in this process; settings can pin the count and this process's share of shard ids.
    """

    def __init__(
        self,
        settings: Settings,
        chat: ChatCore,
        *,
        sync: SyncMode = "none",
        recorder: FeedbackRecorder | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Privileged intents are not needed: Discord delivers the text of DMs and of
        # messages that mention the bot without the message-content intent.
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        shards: dict[str, Any] = {"shard_count": settings.discord_shard_count}
        if settings.discord_shard_ids is not None:
            shards["shard_ids"] = settings.discord_shard_ids
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **shards)
        self.settings = settings
        self.chat = chat
        self.sync_mode: SyncMode = sync
        self.cooldown = QuestionCooldown(
            settings.discord_cooldown_burst, settings.discord_cooldown_seconds, clock
        )
        memory = AnswerMemory()
        self.asker = Asker(chat, memory)
        recorder = recorder or FeedbackRecorder(settings.feedback_path)
        self.buttons = ButtonDesk(chat, memory, recorder)
        self.reloader = Reloader(chat, settings.reload_interval_seconds)
        self.news = NewsRoom(settings, chat, self.reloader)
        self.endpoints = Endpoints(settings)
        self.endpoints.install(self.http)
        self.tree = command_tree(self)
        self.add_dynamic_items(*BUTTONS)

    async def login(self, token: str) -> None:
        """Point discord.py's REST routes at the configured API base, then log in."""
        self.endpoints.use_api_base()
        await super().login(token)

    async def setup_hook(self) -> None:
        """Resolve the gateway, sync commands when asked, start the timers."""
        await self.endpoints.resolve_gateway(self.http)
        await sync_commands(self.tree, self.sync_mode, self.settings)
        self.reloader.start()
        self.news.start()

    def gateway_url(self, requested: str) -> str:
        """The URL to open for a gateway URL discord.py asked for."""
        return self.endpoints.gateway_url(requested)

    async def answer_interaction(
        self, interaction: discord.Interaction[Any], question: str, article: str | None = None
    ) -> None:
        """Answer ``/ask`` (the cooldown was checked already): defer, ask, edit in the answer."""
        # Deferred first: the answer may take longer than Discord's 3 seconds.
        await interaction.response.defer(thinking=True)
        conversation = conversation_id(interaction.channel_id, interaction.user.id)
        first, *rest = await self.asker.replies(question, conversation, article)
        try:
            await interaction.edit_original_response(**message_kwargs(first))
            for reply in rest:
                await interaction.followup.send(**send_kwargs(reply))
        except discord.HTTPException as exc:
            # discord.py has already retried (429s, 5xx); log it and stay up for the next one.
            _log_undelivered("/ask", exc)

    async def on_message(self, message: discord.Message) -> None:
        """Answer a mention in a server channel or any message in a DM."""
        me = self.user
        if me is None or message.author.bot or message.author.id == me.id:
            return  # other bots and ourselves: never answer, never loop
        if message.webhook_id is not None or message.type not in _USER_MESSAGE_TYPES:
            return
        if message.guild is not None and not any(user.id == me.id for user in message.mentions):
            return
        question = strip_mentions_of(message.content, me.id)
        if not question:
            await _reply(message, plain(HELP_TEXT), "a mention")
            return
        verdict = self.cooldown.check(message.author.id)
        if not verdict.allowed:
            if verdict.warn:
                await _reply(message, plain(slow_down_text(verdict.retry_after)), "a mention")
            return
        conversation = conversation_id(message.channel.id, message.author.id)
        async with contextlib.AsyncExitStack() as typing:
            try:
                await typing.enter_async_context(message.channel.typing())
            except discord.HTTPException as exc:
                # "qabot is typing..." is a nicety: failing to show it must not cost the answer.
                log.warning("could not show typing in channel %s: %s", message.channel.id, exc)
            replies = await self.asker.replies(question, conversation)
        reference = message.to_reference(fail_if_not_exists=False)
        try:
            for index, reply in enumerate(replies):
                # Only the first part replies to the question; the rest simply follow it.
                kwargs = send_kwargs(reply)
                if index == 0:
                    kwargs["reference"] = reference
                await message.channel.send(**kwargs)
        except discord.HTTPException as exc:
            _log_undelivered(f"a message in channel {message.channel.id}", exc)

    def may_manage(self, interaction: discord.Interaction[Any]) -> bool:
        """Whether the user may reload or add news: the owner, or Manage Server in a guild."""
        if interaction.user.id in self._owner_ids():
            return True
        return interaction.guild_id is not None and interaction.permissions.manage_guild

    def _owner_ids(self) -> set[int]:
        app = self.application
        if app is None:
            return set()
        owners = {app.owner.id}
        if app.team is not None:
            owners |= {member.id for member in app.team.members}
        return owners

    async def close(self) -> None:
        """Stop the timers, then close the gateway and HTTP sessions."""
        await self.reloader.stop()
        await self.news.stop()
        await super().close()
        self.asker.close()
        self.endpoints.restore_api_base()


async def _reply(message: discord.Message, reply: Reply, where: str) -> None:
    reference = message.to_reference(fail_if_not_exists=False)
    try:
        await message.channel.send(**send_kwargs(reply), reference=reference)
    except discord.HTTPException as exc:
        _log_undelivered(where, exc)


def _log_undelivered(where: str, exc: discord.HTTPException) -> None:
    # Discord's status and message only: the request (and its headers) stay out of the log.
    log.error("could not deliver the answer to %s: Discord said %s", where, exc)
