"""Fuzzing the Discord rendering with hostile text: within every limit, no raise, no live mention.

The text is built from pieces a hostile or careless user (or article) brings: mentions,
markdown and code fences, control characters, right-to-left overrides, zero-width and
combining characters, lone surrogates, emoji sequences, other scripts, and very long runs.
Every rendered message is also pushed through discord.py's own serialisation, as the
adapter sends it.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.models import Answer, Citation
from bot.discord.answers import strip_mentions_of
from bot.discord.render import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
    Reply,
    answer_body,
    plain,
    quote_user_text,
    render_answer,
    render_context,
)
from bot.discord.views import message_kwargs
from tests.bot.discord.test_client import (
    NO_MENTIONS,
    USER,
    RecordingChat,
    for_token,
    is_channel_post,
    sends,
    start_bot,
)
from tests.bot.discord.test_render import assert_within_limits
from tests.bot.fake_discord import FakeDiscord, Json, Request

SNOWFLAKE = "123456789012345678"
# What Discord turns into a ping: @everyone, @here, a user or a role. (A channel link,
# <#id>, pings no one and is left as it is.)
LIVE_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d{17,20}>")
MARKDOWN_CHARS = "*_~|`"
LINK_TARGET = re.compile(r"\]\(https?://[^\s<>()]+\)")

HOSTILE = [
    "@everyone",
    "@here",
    f"<@&{SNOWFLAKE}>",
    f"<@{SNOWFLAKE}>",
    f"<@!{SNOWFLAKE}>",
    f"<#{SNOWFLAKE}>",
    "```",
    "```py\nprint('hi')\n```",
    "`",
    "**",
    "__",
    "~~",
    "||",
    "*",
    "_",
    "\\",
    "> ",
    ">>> ",
    "# ",
    "### ",
    "- ",
    "1. ",
    "[click](https://evil.example/x)",
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2069",
    "\u200b",  # zero-width space, non-joiner, joiner, word joiner, BOM
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\x0b",
    "\x85",
    "\u2028",
    "\x7f",
    "\ud800",  # lone surrogates
    "\udfff",
    "🇺🇳",
    "👩\u200d👩\u200d👧",
    "😀",
    "ｆｕｌｌ",
    "مرحبا",
    "Привет",
    "中文",
    "e\u0301",
    "'; DROP TABLE answers; --",
    "$(rm -rf /)",
    "-q",
    "@",
    "<@",
    "&",
    "<",
    ">",
    " ",
    "word ",
    "sentence. ",
]

piece = st.sampled_from(HOSTILE) | st.text(st.characters(exclude_categories=()), max_size=6)
short_text = st.lists(piece, max_size=40).map("".join)
# Long runs too: a hostile fragment repeated up to a few hundred times.
hostile_text = short_text | st.tuples(short_text, st.integers(2, 120)).map(lambda t: t[0] * t[1])
# No links: escape_markdown leaves URLs alone on purpose, so they are not "unescaped" text.
linkless_text = st.lists(
    st.sampled_from([p for p in HOSTILE if "http" not in p]) | st.text(max_size=4), max_size=60
).map("".join)


@st.composite
def citations(draw: st.DrawFn) -> tuple[Citation, ...]:
    count = draw(st.integers(0, 6))
    return tuple(
        Citation(
            n=n,
            doc_id=draw(st.text(min_size=1, max_size=120)),
            title=draw(hostile_text),
            sentence=draw(hostile_text),
            start=draw(st.integers(0, 10**7)),
            end=draw(st.integers(0, 10**7)),
            score=1.0,
            paragraph=draw(st.integers(1, 10**4)),
            position=draw(st.integers(1, 10**3)),
            url=draw(st.none() | hostile_text | hostile_text.map("https://x.org/".__add__)),
        )
        for n in range(1, count + 1)
    )


answers = st.builds(
    Answer,
    question=hostile_text,
    answered=st.booleans(),
    text=hostile_text,
    citations=citations(),
    query=hostile_text,
    note=st.none() | hostile_text,
)


# Answers long enough to need every message and every trim, made of the same pieces.
def _repeat_past(text: str, times: int) -> str:
    return (text + " ") * (14_000 // (len(text) + 1) * times)


very_long_text = st.builds(
    _repeat_past, st.lists(piece, min_size=5, max_size=30).map("".join), st.integers(1, 4)
)


def texts_of(reply: Reply) -> list[str]:
    """Every string of ``reply`` that Discord shows to someone."""
    texts = [reply.content or ""]
    if reply.embed is not None:
        embed = reply.embed
        texts += [embed.title or "", embed.description or "", embed.footer or ""]
        texts += [t for field in embed.fields for t in (field.name, field.value)]
    texts += [button.label for button in reply.buttons]
    return texts


def on_the_wire(reply: Reply) -> Json:
    """The message as the adapter hands it to discord.py, serialised as discord.py does."""
    kwargs = message_kwargs(reply)
    payload: dict[str, Any] = {"content": kwargs["content"]}
    if kwargs["embed"] is not None:
        embed: discord.Embed = kwargs["embed"]
        assert len(embed) <= 6000
        payload["embeds"] = [embed.to_dict()]
    if kwargs["view"] is not None:
        payload["components"] = kwargs["view"].to_components()
    assert kwargs["allowed_mentions"].to_dict() == NO_MENTIONS
    decoded: Json = json.loads(discord.utils._to_json(payload))
    return decoded


def assert_inert(text: str) -> None:
    # A link target (an article's url, which render checks is a plain http(s) URL) is not
    # parsed for mentions, and escaping it would break the link.
    shown = LINK_TARGET.sub("", text)
    assert LIVE_MENTION.search(shown) is None, f"a live mention survived in {text!r}"


def assert_markdown_escaped(text: str) -> None:
    """Every markdown character is backslash-escaped and no line-start syntax remains."""
    assert not re.match(r"(#{1,3}|>|>>>|-)\s", text), text
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            assert char not in MARKDOWN_CHARS, f"unescaped {char!r} in {text!r}"


FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@FUZZ
@given(answer=answers, describe=hostile_text)
def test_any_answer_renders_within_every_limit_and_without_a_live_mention(
    answer: Answer, describe: str
) -> None:
    assert_discord_safe(render_answer(answer, describe=describe, key="k" * 12))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=very_long_text, note=st.none() | very_long_text, question=very_long_text)
def test_very_long_hostile_answers_are_split_and_trimmed_within_limits(
    text: str, note: str | None, question: str
) -> None:
    answer = Answer(question=question, answered=True, text=text, note=note, query=question)
    replies = render_answer(answer, describe=question, key="k")
    if len(answer_body(answer)) > 3 * DESCRIPTION_LIMIT:
        assert len(replies) == 3  # split over three messages, then trimmed
    assert_discord_safe(replies)


def assert_discord_safe(replies: tuple[Reply, ...]) -> None:
    """Within every limit, serialisable as discord.py sends it, and no live mention."""
    assert_within_limits(replies)
    for reply in replies:
        wire = on_the_wire(reply)
        assert len(wire.get("content") or "") <= CONTENT_LIMIT
        for text in texts_of(reply):
            assert_inert(text)


@FUZZ
@given(question=linkless_text, answered=st.booleans())
def test_an_echoed_question_is_escaped_and_inert(question: str, answered: bool) -> None:
    answer = Answer(question=question, answered=answered, text="**310** died [1]", query=question)
    (reply, *_) = render_answer(answer, describe="1 article", key="k")
    for text in texts_of(reply):
        assert_inert(text)
    echoed = quote_user_text(question, TITLE_LIMIT)
    assert_markdown_escaped(echoed)
    if answered and echoed:
        assert reply.embed is not None and reply.embed.title == echoed


@FUZZ
@given(paragraph=hostile_text, title=st.none() | hostile_text, text=hostile_text)
def test_context_and_plain_replies_stay_within_limits_and_inert(
    paragraph: str, title: str | None, text: str
) -> None:
    context = render_context(paragraph, title=title)
    assert_within_limits((context,))
    assert context.embed is not None
    assert len(context.embed.description or "") <= DESCRIPTION_LIMIT
    short = plain(text or "x")
    assert len(short.content or "") <= CONTENT_LIMIT
    for reply in (context, short):
        on_the_wire(reply)
        for shown in texts_of(reply):
            assert_inert(shown)


@FUZZ
@given(content=hostile_text, bot_id=st.integers(10**16, 10**19))
def test_stripping_the_bots_mention_never_leaves_one(content: str, bot_id: int) -> None:
    mentioned = f"<@{bot_id}> {content} <@!{bot_id}>"
    question = strip_mentions_of(mentioned, bot_id)
    assert f"<@{bot_id}>" not in question and f"<@!{bot_id}>" not in question
    assert question == question.strip()


def test_mentions_quoted_from_articles_are_defused_everywhere() -> None:
    """Found by the fuzz: only the echoed question was defused; now every shown text is."""
    role = f"<@&{SNOWFLAKE}>"
    cited = Citation(
        n=1,
        doc_id="doc",
        title=f"@here {role}",
        sentence=f"@everyone {role}",
        start=0,
        end=1,
        score=1.0,
        paragraph=1,
        position=1,
    )
    answer = Answer(
        question="q",
        answered=True,
        text=f"@everyone said {role} [1]",
        citations=(cited,),
        query="@here",
        note=f"{role} @everyone",
    )
    (reply,) = render_answer(answer, describe="@everyone", key="k")
    context = render_context(f"@everyone {role}", title=f"@here {role}")
    for text in texts_of(reply) + texts_of(context):
        assert_inert(text)
    assert reply.embed is not None and reply.embed.description is not None
    assert reply.embed.description.startswith("@\u200beveryone said <@\u200b&")


def test_a_link_too_long_for_its_field_is_left_out_not_cut() -> None:
    """Found by the fuzz: a clipped ``[article](url`` showed as raw markdown."""
    long_url = "https://x.org/" + "a" * 600
    cited = Citation(
        n=1,
        doc_id="doc",
        title="t",
        sentence="s",
        start=0,
        end=1,
        score=1.0,
        paragraph=1,
        position=1,
        url=long_url,
    )
    answer = Answer(question="q", answered=True, text="a [1]", citations=(cited,))
    (reply,) = render_answer(answer, describe="", key="k")
    assert reply.embed is not None
    (field,) = reply.embed.fields
    assert field.value == "> s\nparagraph 1, sentence 1"


# -- the same hostile text through the real client and the fake Discord ---------------


NASTY_QUESTIONS = [
    "@everyone @here how many died?",
    f"<@&{SNOWFLAKE}> and <@{SNOWFLAKE}> and <#{SNOWFLAKE}>?",
    "```py\nimport os; os.system('rm -rf /')\n``` **bold** __under__ ~~gone~~ ||spoiler||",
    "\u202eevil.exe\u202c \u200b\u200d\ufeff zero width",
    "\x00\x07\x1b[31m control \x7f",
    "🇺🇳👩\u200d👩\u200d👧 ｆｕｌｌ مرحبا Привет 中文",
    "'; DROP TABLE answers; -- $(rm -rf /) `id`",
    "- starts with a dash",
    "# a heading\n> a quote",
    "peacekeepers " * 150,
]


def echo(question: str) -> Answer:
    """A core that echoes the question everywhere: the worst case for escaping."""
    cited = Citation(
        n=1,
        doc_id="doc",
        title=question,
        sentence=question,
        start=0,
        end=len(question),
        score=1.0,
        paragraph=1,
        position=1,
    )
    answered = len(question) % 2 == 0
    return Answer(
        question=question,
        answered=answered,
        text=f"You asked: {question} [1]",
        citations=(cited,) if answered else (),
        query=question,
        note=question,
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


def replying_to(fake: FakeDiscord, message_id: str) -> Callable[[Request], bool]:
    def matches(r: Request) -> bool:
        reference = (r.body or {}).get("message_reference") or {}
        return (
            is_channel_post(fake.channel_id)(r) and str(reference.get("message_id")) == message_id
        )

    return matches


def live_mentions(body: Json) -> list[str]:
    texts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        texts += [embed.get("title", ""), embed.get("description", "")]
        texts.append((embed.get("footer") or {}).get("text", ""))
        texts += [t for f in embed.get("fields", []) for t in (f["name"], f["value"])]
    return [m.group(0) for text in texts for m in LIVE_MENTION.finditer(text)]


async def test_hostile_questions_through_discord_get_inert_replies(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    running = await start_bot(fake, tmp_path, RecordingChat(echo))
    tokens, message_ids = [], []
    for question in NASTY_QUESTIONS:
        sent = await fake.slash("ask", {"question": question}, user_id=USER)
        tokens.append(sent["token"])
        message = await fake.send_message(question, user_id=USER + 1, mention_bot=True)
        message_ids.append(message["id"])
    for token in tokens:
        await fake.wait_for(for_token(token))
    for message_id in message_ids:
        await fake.wait_for(replying_to(fake, message_id))
    assert await running.shutdown() == 0
    assert all(r.status < 300 for r in fake.requests)
    replies: list[Request] = [r for r in sends(fake) if r.body and r.body != {"type": 5}]
    assert len(replies) >= 2 * len(NASTY_QUESTIONS)
    for r in replies:
        body: Json = r.body.get("data") or r.body if r.path.endswith("/callback") else r.body
        assert body["allowed_mentions"] == NO_MENTIONS
        assert live_mentions(body) == [], r.path
    assert len(running.chat.asked) == 2 * len(NASTY_QUESTIONS)
