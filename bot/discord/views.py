"""Replies as discord.py messages, and the persistent buttons on answers.

The buttons are discord.py ``DynamicItem`` classes: a click is matched by its custom_id
(see the templates in :mod:`bot.discord.render`), whatever message or process made the
button, so nothing is kept per message and buttons keep working after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol, Self, runtime_checkable

import discord

from bot.discord.answers import FAULT_TEXT, REMEMBERED_ANSWERS, AnswerMemory, ChatCore
from bot.discord.feedback import FeedbackRecord, FeedbackRecorder, Vote
from bot.discord.render import (
    CITATION_ID,
    CONTEXT_ID,
    VOTE_ID,
    ButtonSpec,
    Reply,
    plain,
    render_context,
)

log = logging.getLogger(__name__)

# Everything the bot sends is built with this: a question holding @everyone pings no one.
NO_MENTIONS = discord.AllowedMentions.none()
STALE_TEXT = "This answer is too old to use its buttons any more; please ask again."
GONE_TEXT = "That passage is no longer in the articles (they may have been reloaded)."
BUTTON_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}
Button = discord.ui.Button[discord.ui.View]
Click = discord.Interaction[discord.Client]


def build_view(buttons: Sequence[ButtonSpec]) -> discord.ui.View | None:
    """A view that only serialises ``buttons``; clicks reach the DynamicItem classes below."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for spec in buttons:
        style = BUTTON_STYLES[spec.style]
        button = Button(label=spec.label, custom_id=spec.custom_id, style=style, emoji=spec.emoji)
        button.row = spec.row
        view.add_item(button)
    # A stopped view is not stored by discord.py: the custom_ids alone say what to do.
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


def send_kwargs(reply: Reply) -> dict[str, Any]:
    """:func:`message_kwargs` without what is absent: sends reject view=None on webhooks."""
    return {k: v for k, v in message_kwargs(reply).items() if v is not None}


async def respond_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer ``interaction`` with a short text only its user sees."""
    await interaction.response.send_message(**send_kwargs(plain(text)), ephemeral=True)


class ButtonDesk:
    """What the buttons need: the chat, the remembered answers and the votes cast on them."""

    def __init__(self, chat: ChatCore, memory: AnswerMemory, recorder: FeedbackRecorder) -> None:
        self.chat = chat
        self.memory = memory
        self.recorder = recorder
        self._votes: OrderedDict[tuple[str, int], Vote] = OrderedDict()

    async def show_context(
        self, interaction: Click, doc_id: str, start: int, title: str | None = None
    ) -> None:
        """The paragraph around a cited sentence, to the clicker alone."""
        try:
            paragraph = await asyncio.to_thread(self.chat.context, doc_id, start)
        except (LookupError, ValueError):
            paragraph = ""
        if not paragraph.strip():
            # The index was reloaded without that article, or the id was forged.
            await respond_ephemeral(interaction, GONE_TEXT)
            return
        reply = render_context(paragraph, title=title)
        await interaction.response.send_message(**send_kwargs(reply), ephemeral=True)

    async def record_vote(self, interaction: Click, key: str, vote: Vote) -> None:
        """Append a 👍/👎 on a remembered answer, once per user and verdict."""
        answer = self.memory.get(key)
        if answer is None:
            await respond_ephemeral(interaction, STALE_TEXT)
            return
        voter = (key, interaction.user.id)
        if self._votes.get(voter) == vote:
            # Repeated clicks must not flood the file; a changed mind is a new line.
            await respond_ephemeral(interaction, "Your vote is already recorded.")
            return
        entry = FeedbackRecord(
            question=answer.question,
            answer=answer.text,
            answered=answer.answered,
            citations=answer.citations,
            vote=vote,
            user_id=str(interaction.user.id),
        )
        await asyncio.to_thread(self.recorder.record, entry)
        self._votes[voter] = vote
        while len(self._votes) > REMEMBERED_ANSWERS:
            self._votes.popitem(last=False)
        thumb = "👍" if vote == "up" else "👎"
        await respond_ephemeral(interaction, f"Thanks, your {thumb} was recorded.")


@runtime_checkable
class HasButtons(Protocol):
    """A client whose buttons are served by a :class:`ButtonDesk` (``QABotClient``)."""

    buttons: ButtonDesk


# The base of our buttons is never registered: its template matches no custom_id.
class _OurButton(discord.ui.DynamicItem[Button], template=re.compile("(?!)")):
    """A button of ours: its click runs :meth:`press` with the client's desk."""

    @classmethod
    async def from_custom_id(
        cls, interaction: Click, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """The button behind a click, rebuilt from what its custom_id says."""
        del interaction
        if not isinstance(item, discord.ui.Button):
            raise TypeError(f"{match.string!r} names a button, not a {type(item).__name__}")
        return cls(item, match)

    def __init__(self, item: Button, match: re.Match[str]) -> None:
        super().__init__(item)
        self.match = match

    async def callback(self, interaction: Click) -> None:
        """Press the button; a fault is logged and the clicker told, never left hanging."""
        client = interaction.client
        if not isinstance(client, HasButtons):
            return
        try:
            await self.press(client.buttons, interaction)
        except Exception:
            log.exception("a button click failed")
            if not interaction.response.is_done():
                await respond_ephemeral(interaction, FAULT_TEXT)

    async def press(self, desk: ButtonDesk, interaction: Click) -> None:
        """What the click does."""
        raise NotImplementedError


class ContextButton(_OurButton, template=CONTEXT_ID):
    """ "Show context" naming the cited sentence itself."""

    async def press(self, desk: ButtonDesk, interaction: Click) -> None:
        """Show the paragraph around the sentence the custom_id names."""
        await desk.show_context(interaction, self.match["doc_id"], int(self.match["start"]))


class CitationButton(_OurButton, template=CITATION_ID):
    """ "Show context" pointing into a remembered answer (for long doc ids)."""

    async def press(self, desk: ButtonDesk, interaction: Click) -> None:
        """Show the paragraph around citation ``n`` of the remembered answer."""
        answer = desk.memory.get(self.match["key"])
        n = int(self.match["n"])
        cited = [c for c in answer.citations if c.n == n] if answer else []
        if not cited:
            await respond_ephemeral(interaction, STALE_TEXT)
            return
        await desk.show_context(interaction, cited[0].doc_id, cited[0].start, cited[0].title)


class VoteButton(_OurButton, template=VOTE_ID):
    """A 👍/👎 on a remembered answer."""

    async def press(self, desk: ButtonDesk, interaction: Click) -> None:
        """Record the vote."""
        vote: Vote = "up" if self.match["vote"] == "up" else "down"
        await desk.record_vote(interaction, self.match["key"], vote)


BUTTONS = (ContextButton, CitationButton, VoteButton)
