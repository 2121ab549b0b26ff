"""The REPL shows the short answer first, in bold on a terminal, plain when piped."""

from __future__ import annotations

from bot.cli.render_text import render_answer, render_rich
from bot.core.models import Answer, Citation

SENTENCE = "In May, Okoro confirmed that she had trained as a pilot before she was elected."
CITATION = Citation(
    n=1, doc_id="d", title="Lagos", sentence=SENTENCE, start=0, end=len(SENTENCE),
    score=1.0, paragraph=1, position=1,
)  # fmt: skip


def test_the_verdict_comes_first_in_bold_on_a_terminal_and_plain_when_piped() -> None:
    answer = Answer(
        question="Was she a pilot?",
        answered=True,
        text=f"**Yes** - {SENTENCE} [1]",
        citations=(CITATION,),
        verdict="yes",
    )
    assert render_answer(answer).startswith(f"Yes - {SENTENCE} [1]")
    rich = render_rich(answer)
    assert rich.plain.startswith("Yes - ")
    bold = [span for span in rich.spans if "bold" in str(span.style)]
    assert bold and rich.plain[bold[0].start : bold[0].end] == "Yes"
