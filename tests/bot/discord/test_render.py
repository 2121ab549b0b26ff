"""Answer -> Discord messages: content, embeds and buttons stay within every Discord limit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.models import Answer, Citation
from bot.discord.render import (
    BUTTON_LABEL_LIMIT,
    BUTTONS_PER_ROW,
    CITATION_ID,
    CONTENT_LIMIT,
    CONTEXT_ID,
    CUSTOM_ID_LIMIT,
    CUSTOM_IDS,
    DESCRIPTION_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    MAX_MESSAGES,
    PREFIX,
    TITLE_LIMIT,
    TOTAL_LIMIT,
    VOTE_ID,
    EmbedField,
    Reply,
    clip,
    escape_answer_text,
    fit_fields,
    plain,
    quote_user_text,
    render_answer,
    render_context,
    source_field,
    split_text,
)

SENTENCE = (
    "With 310 peacekeepers losing their lives during its tenure, MINUSMA stands as the UN’s "
    "second deadliest mission globally, following the one in Lebanon."
)


def citation(n: int = 1, **changes: object) -> Citation:
    values: dict[str, object] = {
        "n": n,
        "doc_id": "minusma-withdrawal",
        "title": "UN mission in Mali ends",
        "sentence": SENTENCE,
        "start": 412,
        "end": 412 + len(SENTENCE),
        "score": 7.3,
        "paragraph": 2,
        "position": 1,
    }
    values.update(changes)
    return Citation.model_validate(values)


def answer(text: str = f"**310** peacekeepers: “{SENTENCE}” [1]", **changes: object) -> Answer:
    values: dict[str, object] = {
        "question": "How many peacekeepers died in Mali?",
        "answered": True,
        "text": text,
        "citations": (citation(),),
        "query": "peacekeepers died mali",
    }
    values.update(changes)
    return Answer.model_validate(values)


def assert_within_limits(replies: tuple[Reply, ...]) -> None:
    """Every limit Discord enforces on one message, for each message."""
    assert 1 <= len(replies) <= MAX_MESSAGES
    for reply in replies:
        assert reply.content or reply.embed, "Discord rejects an empty message"
        assert len(reply.content or "") <= CONTENT_LIMIT
        if reply.embed:
            embed = reply.embed
            assert len(embed.title or "") <= TITLE_LIMIT
            assert len(embed.description or "") <= DESCRIPTION_LIMIT
            assert len(embed.footer or "") <= FOOTER_LIMIT
            assert len(embed.fields) <= FIELD_COUNT_LIMIT
            for field in embed.fields:
                assert 0 < len(field.name) <= FIELD_NAME_LIMIT
                assert 0 < len(field.value) <= FIELD_VALUE_LIMIT
            assert embed.size() <= TOTAL_LIMIT
            # discord.py's own count agrees with ours.
            assert len(embed.to_embed()) == embed.size()
        rows: dict[int, int] = {}
        for button in reply.buttons:
            assert len(button.custom_id) <= CUSTOM_ID_LIMIT
            assert len(button.label) <= BUTTON_LABEL_LIMIT
            assert templates_matching(button.custom_id) == 1
            rows[button.row] = rows.get(button.row, 0) + 1
        assert all(count <= BUTTONS_PER_ROW for count in rows.values())
        assert all(row < 5 for row in rows)


def test_answer_renders_as_a_cited_embed_with_sources_footer_and_buttons() -> None:
    (reply,) = render_answer(answer(), describe="1 article, 15 sentences", key="k1")
    assert reply.content is None and reply.embed is not None
    embed = reply.embed
    assert embed.title == "How many peacekeepers died in Mali?"
    assert embed.description is not None
    assert embed.description.startswith("**310** peacekeepers")
    assert embed.description.endswith("[1]")
    assert embed.fields == (
        EmbedField(
            name="[1] UN mission in Mali ends",
            value=f"> {SENTENCE}\nparagraph 2, sentence 1",
        ),
    )
    assert embed.footer == "1 article, 15 sentences · searched: peacekeepers died mali"
    ids = [b.custom_id for b in reply.buttons]
    assert ids == ["qabot:ctx:412:minusma-withdrawal", "qabot:vote:up:k1", "qabot:vote:down:k1"]
    assert reply.buttons[0].label == "Show context"


def test_a_source_with_a_url_links_to_it_and_a_bad_url_is_left_out() -> None:
    linked = source_field(citation(url="https://example.org/mali"))
    assert linked.value.endswith("· [UN mission in Mali ends](https://example.org/mali)")
    assert "javascript" not in source_field(citation(url="javascript:alert(1)")).value


def test_a_decline_is_plain_text_with_vote_buttons_and_no_embed() -> None:
    declined = answer(
        text="I can't find that in the articles I have.", answered=False, citations=()
    )
    (reply,) = render_answer(declined, describe="1 article", key="k2")
    assert reply.embed is None
    assert reply.content == "I can't find that in the articles I have."
    assert [b.custom_id for b in reply.buttons] == ["qabot:vote:up:k2", "qabot:vote:down:k2"]


def test_a_question_holding_mentions_and_markdown_is_echoed_inert() -> None:
    asked = answer(question="@everyone *who* <@123456789012345678> __leads__?")
    (reply,) = render_answer(asked, describe="", key="k")
    assert reply.embed is not None and reply.embed.title is not None
    title = reply.embed.title
    assert "@everyone" not in title and "@\u200beveryone" in title
    assert "<@123456789012345678>" not in title
    assert "\\*who\\*" in title and "\\_\\_leads\\_\\_" in title


def test_answer_text_keeps_its_bold_but_escapes_article_markdown() -> None:
    assert escape_answer_text("**310** died_in *Mali* [1]") == "**310** died\\_in \\*Mali\\* [1]"
    # Line-start markdown (lists, quotes) is only escaped at a real line start.
    assert (
        escape_answer_text("**310** - With 310 peacekeepers") == "**310** - With 310 peacekeepers"
    )


def test_a_very_long_answer_is_split_over_messages_within_every_limit() -> None:
    words = " ".join(f"word{i}" for i in range(6000))
    citations = tuple(
        citation(n, title="T" * 300, sentence="S " * 900, url="https://example.org/" + "a" * 900)
        for n in range(1, 31)
    )
    long_answer = answer(text=f"**{words}** [1]", citations=citations, note="N" * 5000)
    replies = render_answer(long_answer, describe="D" * 3000, key="key")
    assert_within_limits(replies)
    assert len(replies) == MAX_MESSAGES
    # Sources, footer and buttons ride on the last message only.
    assert replies[-1].embed is not None and replies[-1].embed.fields
    assert all(r.embed is not None and not r.embed.fields for r in replies[:-1])
    assert replies[-1].buttons and not any(r.buttons for r in replies[:-1])
    first = replies[0].embed
    assert first is not None and first.description is not None
    assert first.description.startswith("**word0 word1") and first.description.endswith("**")


def test_a_long_doc_id_falls_back_to_a_remembered_citation() -> None:
    long_id = "folder/" * 20 + "article"
    (reply,) = render_answer(answer(citations=(citation(doc_id=long_id),)), describe="", key="kk")
    assert reply.buttons[0].custom_id == "qabot:cit:kk:1"


def templates_matching(custom_id: str) -> int:
    """How many of our buttons' templates take ``custom_id`` (as discord.py matches them)."""
    return sum(template.fullmatch(custom_id) is not None for template in CUSTOM_IDS)


def test_custom_ids_round_trip() -> None:
    context = CONTEXT_ID.fullmatch("qabot:ctx:412:a:b/c")
    assert context is not None and context.group("start", "doc_id") == ("412", "a:b/c")
    cited = CITATION_ID.fullmatch("qabot:cit:abc:3")
    assert cited is not None and cited.group("key", "n") == ("abc", "3")
    vote = VOTE_ID.fullmatch("qabot:vote:down:abc")
    assert vote is not None and vote.group("vote", "key") == ("down", "abc")
    for foreign in ("", "other:ctx:1:a", "qabot:ctx:x:a", "qabot:vote:maybe:k", "qabot:cit:k:"):
        assert templates_matching(foreign) == 0


def test_context_is_an_escaped_embed_within_limits() -> None:
    reply = render_context("A *long* paragraph. " * 400, title="Mali")
    assert reply.embed is not None and reply.embed.description is not None
    assert len(reply.embed.description) <= DESCRIPTION_LIMIT
    assert reply.embed.title == "Context: Mali"
    assert reply.embed.description.startswith("A \\*long\\* paragraph.")


def test_plain_text_is_clipped_and_mentions_defused() -> None:
    reply = plain("@here " + "x" * 3000)
    assert reply.content is not None
    assert len(reply.content) == CONTENT_LIMIT and not reply.content.startswith("@here")


def test_fit_fields_shares_the_budget_and_drops_the_lowest_ranked_when_tight() -> None:
    fields = tuple(EmbedField(name="n" * 200, value="v" * 1000) for _ in range(30))
    fitted = fit_fields(fields, 2500)
    assert 0 < len(fitted) <= FIELD_COUNT_LIMIT
    assert sum(len(f.name) + len(f.value) for f in fitted) <= 2500
    assert fit_fields(fields[:2], 10_000) == fields[:2]


def test_quote_user_text_is_one_line() -> None:
    assert quote_user_text("a\nb\t c", 100) == "a b c"


# Tokens rather than characters: markdown pairs and long runs of words are what matter.
text_st = st.lists(
    st.sampled_from([*"ab *_~`|>#[]()\\@\n.!?", "**", "😀", "word ", "sentence. "]),
    max_size=3000,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(text=text_st, limit=st.integers(min_value=1, max_value=500))
def test_clip_never_exceeds_the_limit(text: str, limit: int) -> None:
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if len(text) <= limit:
        assert clipped == text


@settings(max_examples=60, deadline=None)
@given(text=text_st, limit=st.integers(min_value=8, max_value=3000))
def test_split_text_parts_fit_and_keep_every_word(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(0 < len(part) <= limit for part in parts)
    # Cuts fall only where white space or a carried bold marker was.
    original = "".join(text.split()).replace("*", "")
    assert "".join("".join(parts).split()).replace("*", "") == original


@settings(max_examples=40, deadline=None)
@given(
    text=text_st,
    question=st.text(max_size=2000),
    note=st.none() | st.text(max_size=3000),
    query=st.text(max_size=3000),
    describe=st.text(max_size=3000),
    answered=st.booleans(),
    n_citations=st.integers(min_value=0, max_value=30),
    title=st.text(max_size=400),
    sentence=st.text(min_size=0, max_size=2000),
    doc_id=st.text(min_size=1, max_size=150),
    url=st.none() | st.text(max_size=1200).map(lambda s: "https://x.org/" + s),
)
def test_every_answer_renders_within_discord_limits(
    text: str,
    question: str,
    note: str | None,
    query: str,
    describe: str,
    answered: bool,
    n_citations: int,
    title: str,
    sentence: str,
    doc_id: str,
    url: str | None,
) -> None:
    citations = tuple(
        citation(n, title=title, sentence=sentence, doc_id=doc_id, url=url)
        for n in range(1, n_citations + 1)
    )
    rendered = answer(
        text=text,
        question=question,
        note=note,
        query=query,
        answered=answered,
        citations=citations,
    )
    assert_within_limits(render_answer(rendered, describe=describe, key="k" * 12))


def test_custom_ids_with_non_ascii_digits_are_not_ours() -> None:
    assert templates_matching(f"{PREFIX}:ctx:²:doc") == 0
    assert templates_matching(f"{PREFIX}:cit:key:¹") == 0


def test_a_verdict_leads_in_bold() -> None:
    assert escape_answer_text("**Yes** - He quit_early. [1]") == "**Yes** - He quit\\_early. [1]"
