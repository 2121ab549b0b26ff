"""The slash commands: /ask (with ``article:``), /reset, /reload, /sources, /add, /follow."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.discord.answers import conversation_id
from bot.discord.config import SyncMode, require_guild
from bot.discord.cooldown import slow_down_text
from bot.discord.render import plain
from bot.discord.views import message_kwargs, respond_ephemeral
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.discord.client import QABotClient

log = logging.getLogger(__name__)

QUESTION_OPTION_MAX = 1000
ARTICLE_CHOICES = 25  # Discord shows at most 25 autocomplete choices
CHOICE_MAX = 100  # and cuts a choice's name and value at 100 characters
RELOAD_DENIED_TEXT = "Only the bot owner or members with Manage Server can reload."
NEWS_DENIED_TEXT = "Only the bot owner or members with Manage Server can add articles or feeds."
Interaction = discord.Interaction["QABotClient"]


class QuestionTree(app_commands.CommandTree["QABotClient"]):
    """The command tree; a question over the per-user limit gets an ephemeral "slow down"."""

    async def on_error(self, interaction: Interaction, error: app_commands.AppCommandError) -> None:
        """Answer a cooldown politely; leave anything else to discord.py's logging."""
        if isinstance(error, app_commands.CommandOnCooldown):
            await respond_ephemeral(interaction, slow_down_text(error.retry_after))
            return
        await super().on_error(interaction, error)


def within_cooldown(interaction: Interaction) -> bool:
    """The shared per-user limit (also counts mentions and DMs), as an app-command check."""
    cooldown = interaction.client.cooldown
    verdict = cooldown.check(interaction.user.id)
    if not verdict.allowed:
        raise app_commands.CommandOnCooldown(cooldown.limit(), verdict.retry_after)
    return True


@app_commands.command(name="ask", description="Ask a question about the articles.")
@app_commands.describe(question="Your question", article="Keep the conversation to one article")
@app_commands.check(within_cooldown)
async def ask(
    interaction: Interaction,
    question: app_commands.Range[str, 1, QUESTION_OPTION_MAX],
    article: str | None = None,
) -> None:
    """Answer a question, in the conversation of this user in this channel."""
    await interaction.client.answer_interaction(interaction, question, article)


@ask.autocomplete("article")
async def article_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for ``/ask article:``: titles holding what was typed, ids as values."""
    chat = interaction.client.chat
    found = await asyncio.to_thread(chat.articles, current, ARTICLE_CHOICES)
    return [
        app_commands.Choice(name=title[:CHOICE_MAX] or doc_id, value=doc_id)
        for doc_id, title in found
        if len(doc_id) <= CHOICE_MAX  # Discord's limit for a choice's value
    ]


@app_commands.command(name="reset", description="Start a new conversation with the bot.")
async def reset(interaction: Interaction) -> None:
    """Forget this user's conversation in this channel."""
    conversation = conversation_id(interaction.channel_id, interaction.user.id)
    await asyncio.to_thread(interaction.client.chat.reset, conversation)
    await respond_ephemeral(interaction, "Started a new conversation.")


@app_commands.command(name="reload", description="Re-read the articles (owner or admins).")
@app_commands.default_permissions(manage_guild=True)
async def reload(interaction: Interaction) -> None:
    """The owner or a Manage Server member rebuilds the index."""
    client = interaction.client
    if not client.may_manage(interaction):
        await respond_ephemeral(interaction, RELOAD_DENIED_TEXT)
        return
    if client.reloader.running:
        await respond_ephemeral(interaction, "A reload is already running.")
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    try:
        summary = await client.reloader.reload()
    except Exception as exc:
        text = f"Reload failed; still answering from the old index. {exc}"
    else:
        text = f"Done: {summary}"
    await interaction.edit_original_response(**message_kwargs(plain(text)))


@app_commands.command(name="sources", description="The newest articles, with links.")
async def sources(interaction: Interaction) -> None:
    """The newest fetched articles."""
    await interaction.client.news.sources(interaction)


@app_commands.command(name="add", description="Add a news article by URL (owner or admins).")
@app_commands.describe(url="The article's web address")
@app_commands.default_permissions(manage_guild=True)
async def add(interaction: Interaction, url: str) -> None:
    """Fetch one article into the corpus."""
    await _add_news(interaction, url, feed=False)


@app_commands.command(name="follow", description="Follow a news feed (owner or admins).")
@app_commands.describe(feed="The feed's web address")
@app_commands.default_permissions(manage_guild=True)
async def follow(interaction: Interaction, feed: str) -> None:
    """Follow a feed and fetch what it lists."""
    await _add_news(interaction, feed, feed=True)


async def _add_news(interaction: Interaction, url: str, *, feed: bool) -> None:
    client = interaction.client
    if not client.may_manage(interaction):
        await respond_ephemeral(interaction, NEWS_DENIED_TEXT)
        return
    await client.news.add(interaction, url, feed=feed)


COMMANDS: tuple[app_commands.Command[Any, ..., None], ...] = (
    ask,
    reset,
    reload,
    sources,
    add,
    follow,
)


def command_tree(client: QABotClient) -> QuestionTree:
    """A command tree holding every command of the bot."""
    tree = QuestionTree(client)
    for command in COMMANDS:
        tree.add_command(command)
    return tree


async def sync_commands(tree: QuestionTree, mode: SyncMode, settings: Settings) -> None:
    """Register the commands with Discord: globally, to one guild, or (``none``) not at all."""
    if mode == "global":
        synced = await tree.sync()
        log.info("synced %d slash commands globally", len(synced))
    elif mode == "guild":
        guild = discord.Object(id=require_guild(settings))
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        log.info("synced %d slash commands to guild %d", len(synced), guild.id)
