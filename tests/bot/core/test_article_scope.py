"""Conversations about one article: ``--article`` on the commands, ``:article`` in the REPL,
the evaluation format's ``article`` field, and a conversation staying in its article."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.chat import Chat
from bot.core.conversation import HISTORY, ConversationState, TurnMemory
from bot.core.evaluation import evaluate, read_items
from bot.repl.session import run_repl
from retrieval.documents import load_corpus
from retrieval.errors import UnknownDocumentError
from retrieval.index import SentenceIndex

pytestmark = pytest.mark.usefixtures("isolated_cli")

ARTICLES = {
    "harbour.txt": (
        "---\ntitle: Harbour bridge reopens\n---\n"
        "The Kessel harbour bridge reopened on Monday after two years of repairs.\n\n"
        "Engineer Maria Lindqvist led the work. She said the steel cables were replaced.\n\n"
        "The repairs cost 40 million euros, paid by the regional council."
    ),
    "orchard.txt": (
        "---\ntitle: Orchard harvest\n---\n"
        "Farmer Tomas Berg picked a record apple harvest in the Vellan valley this autumn.\n\n"
        "He said the warm spring helped the trees. His orchard covers 30 hectares.\n\n"
        "The repairs to his barn cost 2 million euros after a storm."
    ),
    "choir.txt": (
        "---\ntitle: Choir wins prize\n---\n"
        "The Alder youth choir won the national prize in Brenna on Saturday.\n\n"
        "Its conductor, Ines Moreau, founded the choir in 2009."
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def chat(corpus: Path) -> Chat:
    return Chat(SentenceIndex.build(load_corpus(corpus).documents))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_inside_one_article_finds_only_its_sentences(chat: Chat) -> None:
    everywhere = {h.doc_id for h in chat.search("repairs cost euros", 10)}
    assert everywhere == {"harbour", "orchard"}
    inside = chat.search("repairs cost euros", 10, article="orchard")
    assert inside and {h.doc_id for h in inside} == {"orchard"}


def test_an_unknown_article_names_the_closest_ids(chat: Chat) -> None:
    with pytest.raises(UnknownDocumentError, match="'harbour'") as caught:
        chat.ask("How much did the bridge cost?", "x", article="harbor")
    assert "no article with id 'harbor'" in str(caught.value)


def test_ask_about_one_article_answers_from_it(chat: Chat) -> None:
    # Both articles hold a repair cost; the chosen article decides which one answers.
    answer = chat.ask("How much did the repairs cost?", "o", article="orchard")
    assert answer.answered and answer.citations[0].doc_id == "orchard"
    answer = chat.ask("How much did the repairs cost?", "h", article="harbour")
    assert answer.answered and answer.citations[0].doc_id == "harbour"


def test_a_follow_up_without_an_article_stays_in_the_article_of_the_last_answer(
    chat: Chat,
) -> None:
    first = chat.ask("Who picked a record apple harvest?", "c")
    assert first.citations[0].doc_id == "orchard"
    # "repairs cost" matches the harbour article just as well: the conversation decides.
    follow = chat.ask("How much did the repairs cost?", "c")
    assert follow.answered and follow.citations[0].doc_id == "orchard"
    # A name the orchard article never mentions moves the conversation.
    moved = chat.ask("When did the Alder choir win?", "c")
    assert moved.answered and moved.citations[0].doc_id == "choir"


def test_a_declined_question_does_not_end_the_conversation_about_an_article(chat: Chat) -> None:
    assert chat.ask("Who picked a record apple harvest?", "d").citations[0].doc_id == "orchard"
    # More declines than the turns a conversation remembers in full.
    for place in ("Zanzibar", "Quito", "Lhasa", "Oruro", "Tromso"):
        assert not chat.ask(f"What did the {place} delegation say?", "d").answered
    # Still the orchard's conversation: its repairs, not the bridge's.
    follow = chat.ask("How much did the repairs cost?", "d")
    assert follow.answered and follow.citations[0].doc_id == "orchard"


def test_a_conversation_moved_to_another_article_is_not_pulled_back_by_its_past(
    chat: Chat,
) -> None:
    for question in (
        "Who picked a record apple harvest?",
        "What helped the apple trees?",
        "How big is the orchard of Tomas Berg?",
    ):
        assert chat.ask(question, "m").citations[0].doc_id == "orchard"
    assert chat.ask("When did the Alder choir win?", "m").citations[0].doc_id == "choir"
    follow = chat.ask("Who founded it?", "m")
    assert follow.answered and follow.citations[0].doc_id == "choir"


def test_the_conversation_history_keeps_every_question_up_to_a_cap() -> None:
    state = ConversationState()
    for n in range(HISTORY + 5):
        history = state.history_with(f"q{n}")
        turn = TurnMemory(question=f"q{n}", query=f"q{n}", subject="", answered=True)
        state = ConversationState(turns=(turn.model_copy(update={"history": history}),))
    assert state.history_with("last") == (*(f"q{n}" for n in range(6, HISTORY + 5)), "last")


def test_a_pronoun_in_a_conversation_about_an_article_finds_the_next_sentence(
    chat: Chat,
) -> None:
    chat.ask("Who led the work on the bridge?", "p", article="harbour")
    answer = chat.ask("What did she say?", "p", article="harbour")
    assert answer.answered
    assert "steel cables were replaced" in answer.citations[0].sentence


def test_cli_ask_and_search_take_article(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "ask", "How much did the repairs cost?", "--json", "--corpus", str(corpus),
        "--article", "orchard",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["citations"][0]["doc_id"] == "orchard"
    code, out, err = run(
        capsys, "search", "repairs", "--json", "--corpus", str(corpus), "--article", "harbour"
    )
    assert code == 0, err
    assert {h["doc_id"] for h in json.loads(out)["hits"]} == {"harbour"}


@pytest.mark.parametrize("command", ["ask", "search", "chat", "repl"])
def test_cli_unknown_article_is_a_usage_error_naming_the_closest(
    command: str, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [command, "--corpus", str(corpus), "--article", "orchards"]
    if command in {"ask", "search"}:
        argv.insert(1, "cost?")
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'orchards'" in err and "'orchard'" in err


def test_qabot_itself_takes_article_for_its_repl(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for argv in (["--article", "orchard"], ["repl", "--article", "orchard"]):
        monkeypatch.setattr("sys.stdin", io.StringIO("How much did the repairs cost?\n"))
        code, out, err = run(capsys, "--corpus", str(corpus), *argv)
        assert code == 0, err
        assert "2 million euros" in out and "40 million" not in out


def test_repl_article_command_keeps_the_conversation_to_one_article(chat: Chat) -> None:
    lines = (
        ":sources\n:article orchrd\n:article orchard\nHow much did the repairs cost?\n"
        ":article\nWhen did the choir win?\n"
    )
    out = io.StringIO()
    assert run_repl(chat, io.StringIO(lines), out) == 0
    text = out.getvalue()
    assert "  orchard  Orchard harvest" in text  # :sources shows the ids
    assert "no article with id 'orchrd'; the closest ids are 'orchard'" in text
    assert "Asking about orchard only" in text
    assert "2 million euros" in text and "40 million" not in text
    assert "Asking about all articles again." in text
    assert "won the national prize" in text


def test_eval_honours_the_article_field(chat: Chat, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"question": "How much did the repairs cost?", "gold": ["2 million"], "article": "orchard"},
        {
            "article": "harbour",
            "turns": [
                {"question": "How much did the repairs cost?", "gold": ["40 million"]},
                {"question": "Who led the work?", "gold": ["Maria Lindqvist led"]},
            ],
        },
    ]
    questions.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = evaluate(read_items(questions), chat.ask)
    assert report.hit_at_1 == 1.0 and report.questions == 3
