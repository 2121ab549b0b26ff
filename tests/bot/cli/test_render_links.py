"""Citations link their article: the title is a hyperlink on a terminal and in Discord embeds."""

from __future__ import annotations

import io

from rich.console import Console

from bot.cli.render_text import render_answer, render_rich
from bot.core.models import Answer, Citation
from bot.discord.render import source_field

URL = "https://news.example/2024/bridge"


def cited(url: str | None = URL, title: str = "Council approves bridge") -> Citation:
    return Citation(
        n=1, doc_id="bridge", title=title, sentence="The council voted.", start=0, end=18,
        score=1.0, paragraph=1, position=1, url=url,
    )  # fmt: skip


def answer(citation: Citation) -> Answer:
    return Answer(question="q", answered=True, text="The council voted. [1]", citations=(citation,))


def test_a_terminal_gets_an_osc_8_link_on_the_title() -> None:
    out = io.StringIO()
    Console(file=out, force_terminal=True, highlight=False).print(render_rich(answer(cited())))
    text = out.getvalue()
    assert "\x1b]8;id=" in text and URL in text
    start = text.index("\x1b]8;id=")
    assert "Council approves bridge" in text[start:]


def test_piped_output_has_no_escape_sequences() -> None:
    plain = render_answer(answer(cited()))
    assert "\x1b" not in plain
    assert f"[1] Council approves bridge, paragraph 1, sentence 1 <{URL}>" in plain


def test_a_citation_without_a_web_url_is_not_linked() -> None:
    out = io.StringIO()
    Console(file=out, force_terminal=True).print(render_rich(answer(cited("javascript:x"))))
    assert "\x1b]8;" not in out.getvalue()


def test_the_embed_links_the_title_safely() -> None:
    field = source_field(cited(title="[Breaking] *Bridge* vote"))
    assert field.value.endswith(f"· [(Breaking) \\*Bridge\\* vote]({URL})")
