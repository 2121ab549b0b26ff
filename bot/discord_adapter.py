"""The Discord adapter: /ask, mentions and DMs in, cited embeds and buttons out.

It only translates: a Discord event becomes ``chat.ask(question, conversation_id)`` and
the Answer becomes messages (see :mod:`bot.discord_render`). The chat core is CPU-bound
and synchronous, so every call into it runs in a worker thread, off the event loop; questions
share one worker, so the loop never competes with more than one of them for the GIL.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import re
import secrets
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.http import Route

from bot.core.models import Answer
from bot.discord_render import (
    ButtonSpec,
    CitationRef,
    ContextRef,
    Reply,
    VoteRef,
    news_line,
    parse_custom_id,
    plain,
    render_answer,
    render_context,
    render_news,
    render_sources,
)
from bot.feedback import FeedbackRecord, FeedbackRecorder
from bot.settings import Settings
from retrieval.index import UnknownDocumentError
from retrieval.models import Frozen

if TYPE_CHECKING:  # imported when first used: trafilatura and feedparser load slowly
    from bot.news.desk import NewsDesk
    from bot.news.ingestion import FeedReport, Summary

log = logging.getLogger(__name__)

SyncMode = Literal["none", "global", "guild"]
# Everything the bot sends is built with this: a question holding @everyone pings no one.
NO_MENTIONS = discord.AllowedMentions.none()
QUESTION_OPTION_MAX = 1000
REMEMBERED_ANSWERS = 5000
T = TypeVar("T")
SHUTDOWN_SECONDS = 10.0
HELP_TEXT = "Ask me about the articles: mention me with a question, DM me, or use /ask."
FAULT_TEXT = "Sorry, something went wrong while searching the articles. Please try again later."
STALE_TEXT = "This answer is too old to use its buttons any more; please ask again."
GONE_TEXT = "That passage is no longer in the articles (they may have been reloaded)."
NEWS_DENIED_TEXT = "Only the bot owner or members with Manage Server can add articles or feeds."
SOURCES_SHOWN = 10
ARTICLE_CHOICES = 25  # Discord shows at most 25 autocomplete choices
CHOICE_MAX = 100  # and cuts a choice's name and value at 100 characters
BUTTON_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class DiscordConfigError(Exception):
    """A setting the Discord bot cannot run with; the message names the setting."""


class ChatCore(Protocol):
    """The chat core as the adapter uses it (``bot.chat.Chat``); thread-safe, synchronous."""

    def ask(self, question: str, conversation_id: str, article: str | None = None) -> Answer:
        """Answer one question within a conversation (about one article when given)."""
        ...

    def articles(self, text: str, limit: int) -> list[tuple[str, str]]:
        """Up to ``limit`` (doc_id, title) pairs whose title or id holds ``text``."""
        ...

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation."""
        ...

    def context(self, doc_id: str, start: int) -> str:
        """The paragraph holding the sentence that starts at ``start``."""
        ...

    def describe(self) -> str:
        """What is searched, e.g. ``1 article, 15 sentences``."""
        ...

    def reload(self) -> str:
        """Rebuild the index from the corpus and swap it in; a one-line summary."""
        ...


class CooldownVerdict(Frozen):
    """Whether a user may ask now; if not, when, and whether to tell them."""

    allowed: bool
    retry_after: float = 0.0
    warn: bool = False


class Cooldown:
    """Per-user sliding window: at most ``burst`` questions within ``window`` seconds."""

    def __init__(
        self, burst: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.window = window
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}
        self._checks = 0

    def check(self, user_id: int) -> CooldownVerdict:
        """Count one question by ``user_id`` if allowed; warn only once per blocked spell."""
        if self.window <= 0:
            return CooldownVerdict(allowed=True)
        now = self._clock()
        self._prune_sometimes(now)
        asked = self._asked.setdefault(user_id, deque())
        while asked and asked[0] <= now - self.window:
            asked.popleft()
        if len(asked) < self.burst:
            asked.append(now)
            return CooldownVerdict(allowed=True)
        retry_after = asked[0] + self.window - now
        # One "slow down" per spell, so the warning itself cannot become spam.
        warn = self._warned_until.get(user_id, 0.0) <= now
        if warn:
            self._warned_until[user_id] = now + retry_after
        return CooldownVerdict(allowed=False, retry_after=retry_after, warn=warn)

    def _prune_sometimes(self, now: float) -> None:
        # Keeps memory bounded by active users rather than every user ever seen.
        self._checks += 1
        if self._checks % 1000:
            return
        for user_id in [u for u, a in self._asked.items() if not a or a[-1] <= now - self.window]:
            del self._asked[user_id]
            self._warned_until.pop(user_id, None)


class AnswerMemory:
    """The last few thousand answers by key, for the buttons that need more than a custom_id."""

    def __init__(self, size: int = REMEMBERED_ANSWERS) -> None:
        self.size = size
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def remember(self, answer: Answer) -> str:
        """Store ``answer`` and return its new random key (unique across restarts)."""
        key = secrets.token_urlsafe(9)
        self._answers[key] = answer
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return key

    def get(self, key: str) -> Answer | None:
        """The answer stored under ``key``, if still remembered."""
        return self._answers.get(key)


def conversation_id(channel_id: int | None, user_id: int) -> str:
    """One conversation per user per channel or thread, so follow-ups continue it."""
    return f"discord:{channel_id or 0}:{user_id}"


def strip_mentions_of(content: str, user_id: int) -> str:
    """The message text without mentions of ``user_id`` (the bot)."""
    return " ".join(re.sub(rf"<@!?{user_id}>", " ", content).split())


def build_view(buttons: Sequence[ButtonSpec]) -> discord.ui.View | None:
    """A view that only serialises ``buttons``; clicks are answered by ``on_interaction``."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for spec in buttons:
        view.add_item(
            discord.ui.Button(
                label=spec.label,
                custom_id=spec.custom_id,
                style=BUTTON_STYLES[spec.style],
                emoji=spec.emoji,
                row=spec.row,
            )
        )
    # A stopped view is not stored by discord.py: nothing is kept per message, and the
    # custom_ids alone say what to do, so buttons keep working after a restart.
    view.stop()
    return view


def message_kwargs(reply: Reply) -> dict[str, Any]:
    """The keyword arguments that send or edit a message to show ``reply``."""
    return {
        "content": reply.content,
        "embed": reply.embed.to_embed() if reply.embed else None,
        "view": build_view(reply.buttons),
        "allowed_mentions": NO_MENTIONS,
    }


def _send_kwargs(reply: Reply) -> dict[str, Any]:
    # Sends reject view=None on webhooks; leave out what is absent.
    return {k: v for k, v in message_kwargs(reply).items() if v is not None}


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
        self.recorder = recorder or FeedbackRecorder(settings.feedback_path)
        self.cooldown = Cooldown(
            settings.discord_cooldown_burst, settings.discord_cooldown_seconds, clock
        )
        self.memory = AnswerMemory()
        self._votes: OrderedDict[tuple[str, int], str] = OrderedDict()
        self._previous_base = Route.BASE
        self.tree: app_commands.CommandTree[QABotClient] = app_commands.CommandTree(self)
        self._gateway: yarl.URL | None = None
        self._gateway_forced = settings.discord_gateway is not None
        self._reload_lock = asyncio.Lock()
        self._reload_task: asyncio.Task[None] | None = None
        self._feed_task: asyncio.Task[None] | None = None
        self._desk: NewsDesk | None = None
        # One thread for questions, not asyncio's pool of up to 32: the GIL runs one question
        # at a time anyway, and with six pure-Python searches waiting for it the loop thread
        # (heartbeats included) got it so rarely it stood still for seconds under load.
        self._asker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="qabot-ask")
        self._install_commands()
        self._install_gateway_seam()

    # -- start-up -------------------------------------------------------------------

    async def login(self, token: str) -> None:
        """Point discord.py's REST routes at the configured API base, then log in."""
        # Route.BASE is read when each request is built, REST and webhooks alike.
        self._previous_base = Route.BASE
        Route.BASE = self.settings.discord_api_base.rstrip("/")
        await super().login(token)

    async def setup_hook(self) -> None:
        """Resolve the gateway, sync commands when asked, start the reload timer."""
        await self._resolve_gateway()
        await self._sync_commands()
        if self.settings.reload_interval_seconds > 0:
            self._reload_task = asyncio.create_task(self._reload_periodically())
        if self.settings.feed_interval_seconds > 0:
            self._feed_task = asyncio.create_task(self._poll_feeds_periodically())

    async def _resolve_gateway(self) -> None:
        if self.settings.discord_gateway:
            self._gateway = yarl.URL(self.settings.discord_gateway)
            return
        try:
            _, url, _ = await self.http.get_bot_gateway()
        except discord.GatewayNotFound:
            log.warning("GET /gateway/bot failed; using discord.py's default gateway")
            return
        self._gateway = yarl.URL(url)

    def _install_gateway_seam(self) -> None:
        # discord.Client connects to a hard-coded gateway host; rewriting the URL on this
        # client's own HTTP object (not globally) lets settings or /gateway/bot choose it.
        original = self.http.ws_connect

        async def ws_connect(url: str, *, compress: int = 0) -> aiohttp.ClientWebSocketResponse:
            return await original(self.gateway_url(url), compress=compress)

        self.http.ws_connect = ws_connect  # type: ignore[method-assign]

    def gateway_url(self, requested: str) -> str:
        """The URL to open for a gateway URL discord.py asked for."""
        url = yarl.URL(requested)
        if self._gateway is None or "encoding" not in url.query:
            return requested  # not the main gateway (voice), or nothing configured
        default_host = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY.host
        if not self._gateway_forced and url.host != default_host:
            return requested  # a resume URL Discord handed out: honour it
        return str(self._gateway.update_query(url.query))

    async def _sync_commands(self) -> None:
        if self.sync_mode == "global":
            synced = await self.tree.sync()
            log.info("synced %d slash commands globally", len(synced))
        elif self.sync_mode == "guild":
            guild_id = self.settings.discord_guild_id
            if guild_id is None:
                raise DiscordConfigError("--sync guild needs QABOT_DISCORD_GUILD_ID to be set.")
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d slash commands to guild %d", len(synced), guild_id)

    def _install_commands(self) -> None:
        @self.tree.command(name="ask", description="Ask a question about the articles.")
        @app_commands.describe(
            question="Your question", article="Keep the conversation to one article"
        )
        async def ask(
            interaction: discord.Interaction[QABotClient],
            question: app_commands.Range[str, 1, QUESTION_OPTION_MAX],
            article: str | None = None,
        ) -> None:
            await self.answer_interaction(interaction, question, article)

        @ask.autocomplete("article")
        async def ask_article(
            interaction: discord.Interaction[QABotClient], current: str
        ) -> list[app_commands.Choice[str]]:
            del interaction
            return await self.article_choices(current)

        @self.tree.command(name="reset", description="Start a new conversation with the bot.")
        async def reset(interaction: discord.Interaction[QABotClient]) -> None:
            conversation = conversation_id(interaction.channel_id, interaction.user.id)
            await asyncio.to_thread(self.chat.reset, conversation)
            await self._respond_ephemeral(interaction, "Started a new conversation.")

        @self.tree.command(name="reload", description="Re-read the articles (owner or admins).")
        @app_commands.default_permissions(manage_guild=True)
        async def reload(interaction: discord.Interaction[QABotClient]) -> None:
            await self.reload_interaction(interaction)

        @self.tree.command(name="sources", description="The newest articles, with links.")
        async def sources(interaction: discord.Interaction[QABotClient]) -> None:
            await self.sources_interaction(interaction)

        @self.tree.command(name="add", description="Add a news article by URL (owner or admins).")
        @app_commands.describe(url="The article's web address")
        @app_commands.default_permissions(manage_guild=True)
        async def add(interaction: discord.Interaction[QABotClient], url: str) -> None:
            await self.news_interaction(interaction, url, feed=False)

        @self.tree.command(name="follow", description="Follow a news feed (owner or admins).")
        @app_commands.describe(feed="The feed's web address")
        @app_commands.default_permissions(manage_guild=True)
        async def follow(interaction: discord.Interaction[QABotClient], feed: str) -> None:
            await self.news_interaction(interaction, feed, feed=True)

    # -- questions ------------------------------------------------------------------

    async def article_choices(self, current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for ``/ask article:``: titles holding what was typed, ids as values."""
        found = await asyncio.to_thread(self.chat.articles, current, ARTICLE_CHOICES)
        return [
            app_commands.Choice(name=title[:CHOICE_MAX] or doc_id, value=doc_id)
            for doc_id, title in found
            if len(doc_id) <= CHOICE_MAX  # Discord's limit for a choice's value
        ]

    async def answer_interaction(
        self,
        interaction: discord.Interaction[QABotClient],
        question: str,
        article: str | None = None,
    ) -> None:
        """Answer ``/ask``: cooldown, defer, ask off the loop, edit in the answer."""
        verdict = self.cooldown.check(interaction.user.id)
        if not verdict.allowed:
            await self._respond_ephemeral(interaction, _slow_down(verdict))
            return
        # Deferred first: the answer may take longer than Discord's 3 seconds.
        await interaction.response.defer(thinking=True)
        conversation = conversation_id(interaction.channel_id, interaction.user.id)
        replies = await self._replies_for(question, conversation, article)
        first, *rest = replies
        try:
            await interaction.edit_original_response(**message_kwargs(first))
            for reply in rest:
                await interaction.followup.send(**_send_kwargs(reply))
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
        in_dm = message.guild is None
        if not in_dm and not any(user.id == me.id for user in message.mentions):
            return
        question = strip_mentions_of(message.content, me.id)
        reference = message.to_reference(fail_if_not_exists=False)
        if not question:
            try:
                await message.channel.send(**_send_kwargs(plain(HELP_TEXT)), reference=reference)
            except discord.HTTPException as exc:
                _log_undelivered("a mention", exc)
            return
        verdict = self.cooldown.check(message.author.id)
        if not verdict.allowed:
            if verdict.warn:
                slow = plain(_slow_down(verdict))
                try:
                    await message.channel.send(**_send_kwargs(slow), reference=reference)
                except discord.HTTPException as exc:
                    _log_undelivered("a mention", exc)
            return
        conversation = conversation_id(message.channel.id, message.author.id)
        async with contextlib.AsyncExitStack() as typing:
            try:
                await typing.enter_async_context(message.channel.typing())
            except discord.HTTPException as exc:
                # "qabot is typing..." is a nicety: failing to show it must not cost the answer.
                log.warning("could not show typing in channel %s: %s", message.channel.id, exc)
            replies = await self._replies_for(question, conversation)
        try:
            for index, reply in enumerate(replies):
                # Only the first part replies to the question; the rest simply follow it.
                kwargs = _send_kwargs(reply)
                if index == 0:
                    kwargs["reference"] = reference
                await message.channel.send(**kwargs)
        except discord.HTTPException as exc:
            _log_undelivered(f"a message in channel {message.channel.id}", exc)

    async def _replies_for(
        self, question: str, conversation: str, article: str | None = None
    ) -> tuple[Reply, ...]:
        try:
            loop = asyncio.get_running_loop()
            answer, describe = await loop.run_in_executor(
                self._asker, self._ask, question, conversation, article
            )
        except UnknownDocumentError as exc:
            return (plain(f"{exc}. Pick an article from the list /ask offers."),)
        except Exception:
            # A fault in the core must not leave the user staring at "thinking...".
            log.exception("chat.ask failed for a question of %d characters", len(question))
            return (plain(FAULT_TEXT),)
        key = self.memory.remember(answer)
        return render_answer(answer, describe=describe, key=key)

    def _ask(
        self, question: str, conversation: str, article: str | None = None
    ) -> tuple[Answer, str]:
        return self.chat.ask(question, conversation, article), self.chat.describe()

    # -- buttons --------------------------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction[QABotClient]) -> None:
        """Answer clicks on our buttons, whatever message (or process) made them."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: Mapping[str, object] = interaction.data or {}
        ref = parse_custom_id(str(data.get("custom_id", "")))
        try:
            if isinstance(ref, VoteRef):
                await self._record_vote(interaction, ref)
            elif isinstance(ref, ContextRef | CitationRef):
                await self._show_context(interaction, ref)
        except Exception:
            log.exception("a button click failed")
            if not interaction.response.is_done():
                await self._respond_ephemeral(interaction, FAULT_TEXT)

    async def _show_context(
        self, interaction: discord.Interaction[QABotClient], ref: ContextRef | CitationRef
    ) -> None:
        title: str | None = None
        if isinstance(ref, CitationRef):
            answer = self.memory.get(ref.key)
            cited = [c for c in answer.citations if c.n == ref.n] if answer else []
            if not cited:
                await self._respond_ephemeral(interaction, STALE_TEXT)
                return
            doc_id, start, title = cited[0].doc_id, cited[0].start, cited[0].title
        else:
            doc_id, start = ref.doc_id, ref.start
        try:
            paragraph = await asyncio.to_thread(self.chat.context, doc_id, start)
        except (LookupError, ValueError):
            paragraph = ""
        if not paragraph.strip():
            # The index was reloaded without that article, or the id was forged.
            await self._respond_ephemeral(interaction, GONE_TEXT)
            return
        reply = render_context(paragraph, title=title)
        await interaction.response.send_message(**_send_kwargs(reply), ephemeral=True)

    async def _record_vote(
        self, interaction: discord.Interaction[QABotClient], ref: VoteRef
    ) -> None:
        answer = self.memory.get(ref.key)
        if answer is None:
            await self._respond_ephemeral(interaction, STALE_TEXT)
            return
        voter = (ref.key, interaction.user.id)
        if self._votes.get(voter) == ref.vote:
            # Repeated clicks must not flood the file; a changed mind is a new line.
            await self._respond_ephemeral(interaction, "Your vote is already recorded.")
            return
        entry = FeedbackRecord(
            question=answer.question,
            answer=answer.text,
            answered=answer.answered,
            citations=answer.citations,
            vote=ref.vote,
            user_id=str(interaction.user.id),
        )
        await asyncio.to_thread(self.recorder.record, entry)
        self._votes[voter] = ref.vote
        while len(self._votes) > REMEMBERED_ANSWERS:
            self._votes.popitem(last=False)
        thumb = "👍" if ref.vote == "up" else "👎"
        await self._respond_ephemeral(interaction, f"Thanks, your {thumb} was recorded.")

    # -- reload ---------------------------------------------------------------------

    async def reload_interaction(self, interaction: discord.Interaction[QABotClient]) -> None:
        """``/reload``: the owner or a Manage Server member rebuilds the index."""
        if not self._may_reload(interaction):
            await self._respond_ephemeral(
                interaction, "Only the bot owner or members with Manage Server can reload."
            )
            return
        if self._reload_lock.locked():
            await self._respond_ephemeral(interaction, "A reload is already running.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            summary = await self.reload_corpus()
        except Exception as exc:
            text = f"Reload failed; still answering from the old index. {exc}"
        else:
            text = f"Done: {summary}"
        await interaction.edit_original_response(**message_kwargs(plain(text)))

    async def reload_corpus(self) -> str:
        """Rebuild the index in a background thread, one reload at a time."""
        async with self._reload_lock:
            summary = await in_daemon_thread(self.chat.reload)
        log.info("reloaded the corpus: %s", summary)
        return summary

    def _may_reload(self, interaction: discord.Interaction[QABotClient]) -> bool:
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

    async def _reload_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.settings.reload_interval_seconds)
            try:
                await self.reload_corpus()
            except Exception:
                log.exception("timed reload failed; keeping the old index")

    # -- news -----------------------------------------------------------------------

    @property
    def desk(self) -> NewsDesk:
        """The news desk over the corpus folder (created on first use)."""
        if self._desk is None:
            from bot.news.desk import NewsDesk
            from bot.news.fetcher import FetchPolicy

            self._desk = NewsDesk(self.settings.corpus, FetchPolicy.from_settings(self.settings))
        return self._desk

    async def sources_interaction(self, interaction: discord.Interaction[QABotClient]) -> None:
        """``/sources``: the newest fetched articles, titles linked."""
        desk = self.desk
        articles = await asyncio.to_thread(desk.newest, SOURCES_SHOWN)
        describe = await asyncio.to_thread(self.chat.describe)
        reply = render_sources(articles, describe)
        await interaction.response.send_message(**_send_kwargs(reply), ephemeral=True)

    async def news_interaction(
        self, interaction: discord.Interaction[QABotClient], url: str, *, feed: bool
    ) -> None:
        """``/add url:`` or ``/follow feed:``: fetch off the loop; reload if anything changed."""
        if not self._may_reload(interaction):
            await self._respond_ephemeral(interaction, NEWS_DENIED_TEXT)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        from bot.news.ingestion import Summary

        desk = self.desk  # made here, on the loop, so two commands share one desk and its lock
        try:
            if feed:
                report = await in_daemon_thread(lambda: desk.follow(url))
                summary = Summary.of((), [report])
                lines = [_feed_line(report, summary), *(news_line(o) for o in report.outcomes)]
            else:
                outcome = await in_daemon_thread(lambda: desk.add_url(url))
                summary = Summary.of([outcome])
                lines = [news_line(outcome)]
            if summary.changed:
                lines.append(f"Reloaded: {await self.reload_corpus()}")
        except Exception as exc:
            log.exception("adding %s failed", "a feed" if feed else "an article")
            lines = [f"Could not add that: {exc}"]
        await interaction.edit_original_response(**message_kwargs(render_news(lines)))

    async def poll_feeds(self) -> str:
        """Poll the followed feeds; reload when an article was added or updated."""
        from bot.news.ingestion import Summary

        desk = self.desk
        reports = await in_daemon_thread(desk.poll)
        for report in reports:
            if report.failure:
                log.warning("feed %s: %s", report.url, report.failure)
            for outcome in report.outcomes:
                if outcome.status == "failed":
                    log.warning("%s", outcome.line())
        summary = Summary.of((), reports)
        if summary.changed:
            await self.reload_corpus()
        log.info("polled %d feeds: %s", len(reports), summary.line())
        return summary.line()

    async def _poll_feeds_periodically(self) -> None:
        while True:
            try:
                await self.poll_feeds()
            except Exception:
                log.exception("polling the feeds failed; trying again next time")
            await asyncio.sleep(self.settings.feed_interval_seconds)

    # -- shutdown -------------------------------------------------------------------

    async def close(self) -> None:
        """Stop the reload timer, then close the gateway and HTTP sessions."""
        for task in (self._reload_task, self._feed_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._reload_task = self._feed_task = None
        await super().close()
        # Queued questions have no one left to answer; the one under way finishes on its own.
        self._asker.shutdown(wait=False, cancel_futures=True)
        # Route.BASE is process-wide: put it back for any other client in this process.
        Route.BASE = self._previous_base

    # -- helpers --------------------------------------------------------------------

    async def _respond_ephemeral(
        self, interaction: discord.Interaction[QABotClient], text: str
    ) -> None:
        await interaction.response.send_message(**_send_kwargs(plain(text)), ephemeral=True)


_USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def _log_undelivered(where: str, exc: discord.HTTPException) -> None:
    # Discord's status and message only: the request (and its headers) stay out of the log.
    log.error("could not deliver the answer to %s: Discord said %s", where, exc)


def _feed_line(report: FeedReport, summary: Summary) -> str:
    name = report.title or report.url
    if report.failure is not None:
        return f"Could not follow {report.url}: {report.failure}"
    if report.not_modified:
        return f"Following {name}: nothing new since the last poll."
    return f"Following {name}: {summary.line()}."


def _slow_down(verdict: CooldownVerdict) -> str:
    return f"Slow down a little: you can ask again in {max(1, round(verdict.retry_after))} s."


class _RedactSecret(logging.Filter):
    """Replaces a secret in any log line that would carry it (belt and braces)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret and self.secret in message:
            record.msg, record.args = message.replace(self.secret, "[token]"), None
        return True


def configure_logging(settings: Settings) -> None:
    """Route discord.py's and qabot's logging to stderr at ``settings.log_level``."""
    level = logging.getLevelNamesMapping()[settings.log_level]
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(level)
    logging.getLogger("bot").setLevel(level)


def _require_token(settings: Settings) -> str:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        raise DiscordConfigError(
            "QABOT_DISCORD_TOKEN is not set: put the bot token from the Discord developer "
            "portal in the environment or .env."
        )
    return token


def check_settings(settings: Settings, sync: SyncMode) -> str:
    """The token, once the Discord settings are known to be usable; else DiscordConfigError."""
    token = _require_token(settings)
    if not re.match(r"https?://", settings.discord_api_base):
        raise DiscordConfigError(
            f"QABOT_DISCORD_API_BASE must be an http(s) URL, not {settings.discord_api_base!r}."
        )
    if settings.discord_gateway and not re.match(r"wss?://", settings.discord_gateway):
        raise DiscordConfigError(
            f"QABOT_DISCORD_GATEWAY must be a ws(s) URL, not {settings.discord_gateway!r}."
        )
    if sync == "guild" and settings.discord_guild_id is None:
        raise DiscordConfigError("--sync guild needs QABOT_DISCORD_GUILD_ID to be set.")
    return token


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
    redactor = _RedactSecret(token)
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
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
        for handler in handlers:
            handler.removeFilter(redactor)
    return 0


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """Run ``work`` in a daemon thread and await its result.

    A rebuild of a large corpus can take a minute; asyncio.to_thread's worker would keep the
    process alive after SIGTERM until it finished (the interpreter joins those threads at exit).
    A daemon thread does not hold up the exit, and the cache write it may be doing is atomic.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting coroutine, not lost in the thread
            outcome: tuple[T | None, BaseException | None] = (None, exc)
        else:
            outcome = (result, None)
        with contextlib.suppress(RuntimeError):  # the loop closed while we worked: no one waits
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, name="qabot-reload", daemon=True).start()
    return await future


def run_discord(settings: Settings, chat: ChatCore, *, sync: SyncMode = "none") -> int:
    """Run the Discord bot until SIGINT/SIGTERM; the exit code (0 after a clean stop)."""
    configure_logging(settings)
    return asyncio.run(serve(settings, chat, sync=sync, handle_signals=True))


__all__ = [
    "ChatCore",
    "Cooldown",
    "DiscordConfigError",
    "QABotClient",
    "run_discord",
    "serve",
]
