"""Scoring a question set (JSON Lines) against the bot's answers; see DESIGN.md for the format."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from bot.core.answer_overlap import best_exact, best_f1
from bot.core.inputs import clean_text
from bot.core.models import Answer
from retrieval.errors import BadInputError
from retrieval.models import Frozen

_SPACE = re.compile(r"\s+")


class EvalError(BadInputError):
    """The question file cannot be read or a line is not in the evaluation format."""


class Turn(Frozen):
    """One question and the texts that identify a right sentence ([] = not answerable)."""

    model_config = Frozen.model_config | {"extra": "ignore"}
    question: str
    gold: list[str] = Field(default_factory=list)
    article: str | None = None  # asked as a conversation about this one document
    answer: str | None = None  # a short answer as a person would give it
    answers: list[str] = Field(default_factory=list)  # several acceptable short answers

    @property
    def short_answers(self) -> list[str]:
        """Every accepted short answer (``answer`` and ``answers``), blanks left out."""
        found = ([self.answer] if self.answer is not None else []) + self.answers
        return [a for a in found if a.strip()]

    @field_validator("question")
    @classmethod
    def _clean_question(cls, value: str) -> str:
        # JSON may carry lone surrogates; they could not be printed in the report.
        return clean_text(value)

    @field_validator("gold")
    @classmethod
    def _no_blank_gold(cls, value: list[str]) -> list[str]:
        if any(not g.strip() for g in value):
            raise ValueError(
                "a gold text is blank; use [] for a question the corpus does not answer"
            )
        return [clean_text(g) for g in value]


class Conversation(Frozen):
    """Turns asked in order in one conversation."""

    model_config = Frozen.model_config | {"extra": "ignore"}
    turns: list[Turn]
    article: str | None = None  # every turn is about this one document


class TurnResult(Frozen):
    """How one asked question fared."""

    question: str
    answerable: bool
    answered: bool
    rank: int | None
    cited: tuple[str, ...]
    reply: str | None = None  # the short answer scored: verdict, highlight or first sentence
    answer_f1: float | None = None  # None when the turn carries no short answer
    answer_exact: float | None = None


class Report(Frozen):
    """The figures of an evaluation run (the keys of ``qabot eval --json``)."""

    questions: int
    answerable: int
    hit_at_1: float
    hit_at_3: float
    mrr: float
    unanswerable: int
    abstained_correctly: int
    false_abstentions: int
    seconds: float
    conversations: int = 0
    # Over the answerable turns that carry a short answer; None when no turn does.
    answer_f1: float | None = None
    answer_exact: float | None = None
    short_answered: int = 0  # how many turns those two figures are over
    failures: tuple[TurnResult, ...] = ()


def collapse(text: str) -> str:
    """White space collapsed to single spaces, ends trimmed."""
    return _SPACE.sub(" ", text).strip()


def matches(sentence: str, gold: list[str]) -> bool:
    """True when a gold text is in the sentence or the sentence is in a gold text."""
    s = collapse(sentence)
    return any((g2 := collapse(g)) and (g2 in s or s in g2) for g in gold) if s else False


def read_items(path: Path) -> list[Turn | Conversation]:
    """Parse a JSON Lines question file; raise EvalError naming the line that is wrong."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise EvalError(f"question file {str(path)!r} does not exist; pass a .jsonl file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read question file {str(path)!r}: {exc}") from None
    items: list[Turn | Conversation] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            item: Turn | Conversation = (
                Conversation.model_validate(data)
                if isinstance(data, dict) and "turns" in data
                else Turn.model_validate(data)
            )
        except (json.JSONDecodeError, ValidationError) as exc:
            if isinstance(exc, ValidationError):
                err = exc.errors()[0]
                where = ".".join(str(part) for part in err["loc"])
                first = f"{where}: {err['msg']}" if where else err["msg"]
            else:
                first = str(exc).splitlines()[0]
            raise EvalError(
                f"{path}:{number} is not a question line ({first}); "
                'expected {"question": "...", "gold": [...]} or {"turns": [...]}'
            ) from None
        items.append(item)
    if not items:
        raise EvalError(f"question file {str(path)!r} holds no questions")
    return items


# (question, conversation id, article id or None) -> the bot's answer
AskFn = Callable[[str, str, str | None], Answer]


def evaluate(items: list[Turn | Conversation], ask: AskFn, keep_failures: int = 50) -> Report:
    """Ask every question (conversations in order, one id each) and score the citations."""
    began = time.perf_counter()
    results: list[TurnResult] = []
    conversations = 0
    for number, item in enumerate(items):
        if isinstance(item, Conversation):
            conversations += 1
            conversation_id = f"eval-{number}"
            results.extend(
                _score(turn, ask(turn.question, conversation_id, turn.article or item.article))
                for turn in item.turns
            )
        else:
            results.append(_score(item, ask(item.question, f"eval-{number}", item.article)))
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    n = max(1, len(answerable))
    scored = [r for r in answerable if r.answer_f1 is not None]
    short = max(1, len(scored))
    failures = tuple(
        r for r in results if (r.answerable and r.rank != 1) or (not r.answerable and r.answered)
    )
    return Report(
        questions=len(results),
        answerable=len(answerable),
        hit_at_1=round(sum(r.rank == 1 for r in answerable) / n, 4),
        hit_at_3=round(sum(r.rank is not None and r.rank <= 3 for r in answerable) / n, 4),
        mrr=round(sum(1 / r.rank for r in answerable if r.rank) / n, 4),
        unanswerable=len(unanswerable),
        abstained_correctly=sum(not r.answered for r in unanswerable),
        false_abstentions=sum(not r.answered for r in answerable),
        seconds=round(time.perf_counter() - began, 3),
        conversations=conversations,
        answer_f1=round(sum(r.answer_f1 or 0.0 for r in scored) / short, 4) if scored else None,
        answer_exact=(
            round(sum(r.answer_exact or 0.0 for r in scored) / short, 4) if scored else None
        ),
        short_answered=len(scored),
        failures=failures[:keep_failures],
    )


def _score(turn: Turn, answer: Answer) -> TurnResult:
    cited = tuple(c.sentence for c in answer.citations) if answer.answered else ()
    # hit@1 from the first citation; hit@3 and MRR from the answerer's ranked candidates,
    # whose first is that citation (an answer without them is read from its citations).
    ranked = tuple(c.sentence for c in answer.ranked) if answer.answered else ()
    rank = next((i for i, s in enumerate(ranked or cited, start=1) if matches(s, turn.gold)), None)
    golds = turn.short_answers
    reply = short_reply(answer)
    f1 = exact = None
    if golds:
        # An unanswered turn replies nothing and scores 0.
        f1 = round(best_f1(reply, golds), 4) if reply is not None else 0.0
        exact = best_exact(reply, golds) if reply is not None else 0.0
    return TurnResult(
        question=turn.question,
        answerable=bool(turn.gold),
        answered=answer.answered,
        rank=rank,
        cited=cited,
        reply=reply,
        answer_f1=f1,
        answer_exact=exact,
    )


def short_reply(answer: Answer) -> str | None:
    """The reply's short answer: the verdict word, else the highlight, else the first quote."""
    if not answer.answered:
        return None
    if answer.verdict is not None:
        return answer.verdict
    if answer.highlight:
        return answer.highlight
    return answer.citations[0].sentence if answer.citations else None
