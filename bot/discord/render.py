"""Answer -> Discord messages (embeds, plain content, buttons) within every Discord limit.

Pure functions over frozen values: no client, no I/O. The adapter turns a :class:`Reply`
into ``discord.Embed`` / ``discord.ui.View`` objects at the last moment. Lengths are
counted in code points, as ``len(discord.Embed)`` does.
"""

from __future__ import annotations

import re
from typing import Literal

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.core.models import Answer, Citation
from retrieval.models import Frozen

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000
CUSTOM_ID_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
BUTTONS_PER_ROW = 5

# Budgets chosen so the last message (text + sources + footer) always fits TOTAL_LIMIT.
FOOTER_BUDGET = 512
FIELDS_BUDGET = 2500
LAST_TEXT_BUDGET = TOTAL_LIMIT - FOOTER_BUDGET - FIELDS_BUDGET - TITLE_LIMIT
# A long answer is split over at most this many messages, then trimmed.
MAX_MESSAGES = 3

ANSWER_COLOUR = 0x2B6CB0
CONTEXT_COLOUR = 0x718096
ELLIPSIS = "…"
BOLD = "**"
# Stands in for the answer's own bold markers while the rest of the text is escaped.
_GUARD = "\x00"
PREFIX = "qabot"

ButtonStyle = Literal["primary", "secondary", "success", "danger"]


class EmbedField(Frozen):
    """One embed field: a source, say."""

    name: str
    value: str
    inline: bool = False


class EmbedSpec(Frozen):
    """An embed as plain values; :meth:`to_embed` builds the ``discord.Embed``."""

    title: str | None = None
    description: str | None = None
    fields: tuple[EmbedField, ...] = ()
    footer: str | None = None
    colour: int = ANSWER_COLOUR

    def size(self) -> int:
        """The characters Discord counts towards the 6000 total of a message."""
        parts = [self.title or "", self.description or "", self.footer or ""]
        parts += [text for field in self.fields for text in (field.name, field.value)]
        return sum(len(part) for part in parts)

    def to_embed(self) -> discord.Embed:
        """The ``discord.Embed`` for this spec."""
        embed = discord.Embed(
            title=self.title, description=self.description, colour=discord.Colour(self.colour)
        )
        for field in self.fields:
            embed.add_field(name=field.name, value=field.value, inline=field.inline)
        if self.footer:
            embed.set_footer(text=self.footer)
        return embed


class ButtonSpec(Frozen):
    """One button; ``row`` groups them (Discord allows 5 per row)."""

    label: str
    custom_id: str
    style: ButtonStyle = "secondary"
    emoji: str | None = None
    row: int = 0


class Reply(Frozen):
    """One Discord message: plain content and/or one embed, plus buttons."""

    content: str | None = None
    embed: EmbedSpec | None = None
    buttons: tuple[ButtonSpec, ...] = ()


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, ending in an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    space = cut.rfind(" ")
    # Back off to a word boundary unless that throws away most of the room.
    if space > room * 0.8:
        cut = cut[:space]
    cut = _drop_dangling_escape(cut.rstrip())
    if cut.count(BOLD) % 2 and len(cut) + len(BOLD) <= room:
        cut += BOLD
    elif cut.count(BOLD) % 2:
        cut = cut[: cut.rfind(BOLD)]
    return cut + ELLIPSIS


def _drop_dangling_escape(text: str) -> str:
    # A cut right after a markdown escape would escape the ellipsis instead.
    return text[:-1] if text.endswith("\\") and not text.endswith("\\\\") else text


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut at paragraph, sentence or word."""
    if limit < 8:
        raise ValueError(f"split_text needs a limit of at least 8, not {limit}")
    parts: list[str] = []
    rest = text.strip()
    carry_bold = False
    while rest:
        if carry_bold:
            rest = BOLD + rest
        if len(rest) <= limit:
            parts.append(rest)
            break
        # Two characters kept back to close a bold phrase that the cut splits.
        room = limit - len(BOLD)
        cut = _cut_point(rest, room)
        part, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        carry_bold = part.count(BOLD) % 2 == 1
        if carry_bold:
            part += BOLD
        parts.append(part)
    return parts


def _cut_point(text: str, room: int) -> int:
    window = text[: room + 1]
    for separator in ("\n\n", "\n", ". ", "? ", "! ", " "):
        at = window.rfind(separator)
        if at > room // 2:
            return at + len(separator.rstrip(" ")) if separator.strip() else at
    # No natural break: a hard cut, but never between a backslash and what it escapes.
    return room - 1 if text[room - 1] == "\\" else room


def escape_answer_text(text: str) -> str:
    """Markdown-escape everything except the answer's own ``**bold**`` highlight markers."""
    # Escaped as one text (so line-start rules see real line starts), bold kept aside.
    guarded = text.replace(_GUARD, "").replace(BOLD, _GUARD)
    return escape_markdown(guarded).replace(_GUARD, BOLD)


def quote_user_text(text: str, limit: int) -> str:
    """Text a user typed, safe to echo: one line, markdown and mentions escaped, clipped."""
    one_line = " ".join(text.split())
    return clip(escape_mentions(escape_markdown(one_line)), limit)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def footer_text(answer: Answer, describe: str) -> str:
    """What was searched and over what, e.g. ``1 article, 15 sentences · searched: mali``."""
    pieces = [_one_line(describe)] if describe.strip() else []
    if answer.query.strip():
        pieces.append(f"searched: {_one_line(answer.query)}")
    return clip(escape_mentions(" · ".join(pieces)), FOOTER_BUDGET)


LINK_TITLE_CHARS = 80


def source_field(citation: Citation) -> EmbedField:
    """The embed field for one cited sentence: title, where it stands, link."""
    name = clip(escape_mentions(f"[{citation.n}] {_one_line(citation.title)}"), FIELD_NAME_LIMIT)
    # Both are 1-based already (retrieval.sentences numbers them for people).
    location = f"paragraph {citation.paragraph}, sentence {citation.position}"
    link = ""
    if citation.url and is_web_url(citation.url):
        link = f" · [{link_text(citation.title, LINK_TITLE_CHARS)}]({citation.url})"
    # A link cut short would show as raw markdown, so one that does not fit is left out.
    if len(location) + len(link) <= FIELD_VALUE_LIMIT // 2:
        location += link
    location = clip(location, FIELD_VALUE_LIMIT // 2)
    sentence_room = FIELD_VALUE_LIMIT - len(location) - len("> \n")
    quote = clip(escape_mentions(escape_markdown(_one_line(citation.sentence))), sentence_room)
    return EmbedField(name=name, value=f"> {quote}\n{location}")


def link_text(title: str, limit: int) -> str:
    """A title that is safe as the text of a markdown link: one line, no brackets, clipped."""
    text = escape_markdown(_one_line(title).replace("[", "(").replace("]", ")"))
    return escape_mentions(clip(text, limit)) or "article"


def is_web_url(url: str) -> bool:
    # Anything else would make Discord reject the whole message.
    return re.fullmatch(r"https?://[^\s<>()]+", url) is not None


def fit_fields(fields: tuple[EmbedField, ...], budget: int) -> tuple[EmbedField, ...]:
    """At most 25 fields whose names and values together fit ``budget`` characters."""
    fields = fields[:FIELD_COUNT_LIMIT]
    while fields:
        if sum(len(f.name) + len(f.value) for f in fields) <= budget:
            return fields
        share = budget // len(fields)
        if share >= 60:
            name_room = min(FIELD_NAME_LIMIT, share // 3)
            fitted = []
            for field in fields:
                name = clip(field.name, name_room)
                value = clip(field.value, min(FIELD_VALUE_LIMIT, share - len(name)))
                fitted.append(EmbedField(name=name, value=value, inline=field.inline))
            return tuple(fitted)
        # Too many sources for the room: the lowest-ranked ones go.
        fields = fields[:-1]
    return ()


def answer_body(answer: Answer) -> str:
    """The embed text of an answer: escaped answer text, then the note in italics."""
    body = escape_answer_text(answer.text.strip())
    if answer.note and answer.note.strip():
        body += f"\n\n*{escape_markdown(answer.note.strip())}*"
    # Embeds never ping, but a quoted @everyone or role should not even look live.
    return escape_mentions(body)


def render_answer(answer: Answer, *, describe: str, key: str) -> tuple[Reply, ...]:
    """The messages that carry ``answer``; buttons and sources ride on the last one."""
    footer = footer_text(answer, describe)
    votes = vote_buttons(key, row=1 if answer.citations else 0)
    if not answer.answered:
        # A decline is a plain sentence, not a card; it can still be voted on.
        content = clip(escape_mentions(escape_answer_text(answer.text.strip())), CONTENT_LIMIT)
        return (Reply(content=content or "That is not in the articles.", buttons=votes),)

    title = quote_user_text(answer.question, TITLE_LIMIT) or None
    fields = fit_fields(tuple(source_field(c) for c in answer.citations), FIELDS_BUDGET)
    parts = _answer_parts(answer_body(answer) or ELLIPSIS)
    replies: list[Reply] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        spec = EmbedSpec(
            title=title if index == 0 else None,
            description=part,
            fields=fields if last else (),
            footer=(footer or None) if last else None,
        )
        buttons = (*context_buttons(answer.citations, key), *votes) if last else ()
        replies.append(Reply(embed=spec, buttons=buttons))
    return tuple(replies)


def _answer_parts(body: str) -> list[str]:
    parts = split_text(body, DESCRIPTION_LIMIT)
    if len(parts[-1]) > LAST_TEXT_BUDGET:
        # The last message also carries sources and footer, so its text gets less room.
        parts[-1:] = split_text(parts[-1], LAST_TEXT_BUDGET)
    if len(parts) > MAX_MESSAGES:
        kept = parts[: MAX_MESSAGES - 1]
        kept.append(clip(parts[MAX_MESSAGES - 1] + " " + ELLIPSIS * 2, LAST_TEXT_BUDGET))
        parts = kept
    return parts


def render_context(paragraph: str, *, title: str | None = None) -> Reply:
    """The ephemeral reply of a "Show context" button: the paragraph around a citation."""
    text = escape_mentions(escape_markdown(paragraph.strip())) or "(empty paragraph)"
    spec = EmbedSpec(
        title=clip(escape_mentions(f"Context: {_one_line(title)}"), TITLE_LIMIT)
        if title
        else "Context",
        description=clip(text, DESCRIPTION_LIMIT),
        colour=CONTEXT_COLOUR,
    )
    return Reply(embed=spec)


def plain(text: str) -> Reply:
    """A short plain-text reply (help, slow down, errors), mentions and length made safe."""
    return Reply(content=clip(escape_mentions(text), CONTENT_LIMIT))


# What our buttons' custom_ids look like; discord.py's DynamicItem parses clicks with these
# (bot.discord.views). [0-9], not \d: a custom_id with other digits is not one of ours.
CONTEXT_ID = re.compile(rf"{PREFIX}:ctx:(?P<start>[0-9]+):(?P<doc_id>.+)", re.DOTALL)
CITATION_ID = re.compile(rf"{PREFIX}:cit:(?P<key>[^:]+):(?P<n>[0-9]+)")
VOTE_ID = re.compile(rf"{PREFIX}:vote:(?P<vote>up|down):(?P<key>.+)", re.DOTALL)
CUSTOM_IDS = (CONTEXT_ID, CITATION_ID, VOTE_ID)


def context_custom_id(citation: Citation, key: str) -> str:
    """A custom_id naming the cited sentence, or (long doc ids) the remembered answer."""
    direct = f"{PREFIX}:ctx:{citation.start}:{citation.doc_id}"
    if len(direct) <= CUSTOM_ID_LIMIT:
        return direct
    return f"{PREFIX}:cit:{key}:{citation.n}"


def context_buttons(citations: tuple[Citation, ...], key: str) -> tuple[ButtonSpec, ...]:
    """One "Show context" button per citation, on the first row (at most 5)."""
    shown = citations[:BUTTONS_PER_ROW]
    single = len(shown) == 1
    return tuple(
        ButtonSpec(
            label="Show context" if single else f"Context [{c.n}]",
            custom_id=context_custom_id(c, key),
            style="secondary",
            row=0,
        )
        for c in shown
    )


def vote_buttons(key: str, *, row: int) -> tuple[ButtonSpec, ...]:
    """The 👍 and 👎 buttons of a remembered answer."""
    return (
        ButtonSpec(label="Helpful", emoji="👍", custom_id=f"{PREFIX}:vote:up:{key}", row=row),
        ButtonSpec(label="Not helpful", emoji="👎", custom_id=f"{PREFIX}:vote:down:{key}", row=row),
    )
