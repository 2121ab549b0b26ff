"""The template answerer: the cited reply composed from the ranked sentences, or a decline.

``compose`` takes the question's plan, the hits and the evidence, ranks them and fills a
template with the chosen sentences. No I/O, no clock, no randomness.

Declining is decided from evidence, never from a raw BM25 score (whose scale depends on the
corpus): the best sentence (with the one before it) must cover enough of the question's
IDF-weighted words, a name or the asked-about noun ("the *capital* of") that the articles never
use means they are about something else, and a bare "Why?" needs a sentence that gives a reason.

Small talk (greetings, thanks, help, an empty message) gets a fixed reply with
``answered=False`` and kind ``SMALLTALK``: it is not an answer from the articles, so an
evaluation counts it as a decline, and the chat does not record it as a conversation turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.core.conversation import (
    ConversationState,
)
from bot.core.lexicon import Lexicon
from bot.core.models import Answer, Citation, QuestionKind
from bot.core.questions import words_of
from bot.core.ranking import TYPED_KINDS, Candidate, Evidence, needs_context, rank
from bot.core.reading import Plan, read_question
from bot.core.spans import choose_span
from bot.core.verdicts import decide
from retrieval.models import Hit

DECLINE = "I can't find that in the articles I have."
RANKED_KEPT = 3  # candidates an answer keeps for evaluation's hit@3 and MRR
CLOSEST = "The closest I have is about: {topic}."
SMALLTALK_REPLIES: Mapping[str, str] = {
    "empty": "Ask me a question about the articles I have ({about}).",
    "greeting": "Hello! Ask me a question about the articles I have ({about}); "
    "I answer with the sentences that say so.",
    "thanks": "You're welcome. Ask another question whenever you like.",
    "farewell": "Goodbye!",
    "help": "I answer questions about the articles I have ({about}) by quoting the sentences "
    'that answer them, each cited. Ask e.g. "Who ...?", "When ...?", "How many ...?"; '
    'follow-ups such as "Why?" continue the previous question.',
}


# Declining: the best sentence (with the one before it) must cover this share of the
# question's weighted content. At 0.25, under 1% of SQuAD dev questions are declined.
_MIN_COVERAGE = 0.25
_MIN_COVERAGE_IN_CONVERSATION = 0.0
# A "how many" or "when" question whose best sentence holds no number or date at all is
# declined unless that sentence covers nearly all of the question.
_NEEDS_PHRASE = frozenset({QuestionKind.COUNT, QuestionKind.DATE})
_PHRASELESS_BELOW = 0.55
# A name the articles never mention ("Canada", "Pele") means they are about something else,
# unless the rest of the question is matched so well that it is likely a misspelt name; the
# same holds for the noun a question asks about.
_NAME_DECLINE_BELOW = 0.5
_SECOND_RATIO = 0.9
# Words by which a question points back into the conversation ("Is that true?", "And then?").
_POINTING_BACK = frozenset(
    "he she it they him her them his its their this that these those then there".split()
)
# In a conversation about one article, an elliptical follow-up ("Why?", "When?") whose best
# sentence is the previous answer's or the next reads on from that answer: the reason or
# date is often said without a cue (a relative clause), so a missing phrase there is no
# ground to decline. In the article a conversation follows over a corpus this holds for a
# date, a number, a person or a place, not for a reason (CoQA-CNN as one corpus: 0.526 ->
# 0.530, the even half gaining, the odd unchanged; with "Why?" too 0.536, but then "Why?"
# after any answer quotes it back, reason or not).
_READ_ON = 1


def decline_reason(plan: Plan, best: Candidate | None, evidence: Evidence) -> str | None:
    """Why the articles do not answer the question (None when the best sentence will do)."""
    if best is None:
        return "no sentence matches"
    if best.support < _NAME_DECLINE_BELOW:
        unknown = [n for n in plan.names if not any(True for _ in _known(n, plan, evidence))]
        if unknown:
            return f"the articles never mention {' '.join(unknown)}"
    # The noun a question asks about ("how many *goals*", "the *capital* of") unknown to the
    # articles, and no synonym of it in the best sentence: they do not answer it. Unless, as
    # for a name, the rest of the question is matched well: "What was the *theme* of the
    # ten-hour speech?" is answered by the sentence about the speech in other words
    # (CoQA-CNN 0.6145 -> 0.6164, SQuAD false declines 102 -> 99).
    focus = next((s for s in plan.slots if s.word.lower() == plan.focus), None)
    if (
        focus is not None
        and best.support < _NAME_DECLINE_BELOW
        and not any(t in evidence.weights for t in focus.terms)
        and not focus.synonym_terms & (best.held or set(best.hit.matched))
    ):
        return f"the articles never mention {focus.word}"
    own = [s for s in plan.slots if not s.inherited]
    sure = any(not p.weak for p in best.phrases)
    if (
        not own
        and plan.kind in TYPED_KINDS | {QuestionKind.REASON}
        and not sure
        and not _read_on(best, evidence, plan.kind)
    ):
        # "Why?" or "When?" after a question: over a corpus only a sentence that gives a
        # reason or a date answers it. In the conversation's article, the previous answer's
        # sentence or the next may say it without a cue word (``_read_on``): quoting it is
        # kept (CoQA-CNN: without the same sentence 0.615 -> 0.603 hit@1, declines 11 -> 26).
        return f"the best sentence holds no {plan.kind.value}"
    # Within a conversation the question leans on what came before: its own words are
    # often few ("What did he do next?"), so coverage says less and the bar is lower.
    # The same holds within one article, chosen or followed (CoQA-CNN as one corpus: false
    # declines 81 -> 29 of 511 once a followed article counted).
    talked = evidence.anchor is not None or evidence.within is not None
    if best.support < (_MIN_COVERAGE_IN_CONVERSATION if talked else _MIN_COVERAGE):
        return f"the best sentence covers {best.support:.0%} of the question"
    topical = [s for s in own if not s.type_word]
    fresh = (  # not read as a follow-up, and no word pointing back ("that", "then")
        not plan.leans
        and len(own) == len(plan.slots)
        and not _POINTING_BACK & set(words_of(plan.question))
    )
    if (
        talked
        and fresh
        and topical
        and not any(t in evidence.weights for s in topical for t in s.every_term)
    ):
        # ... but a fresh question none of whose own words the articles use, in any form,
        # is about something else ("What is the exchange rate of the euro?" mid-conversation
        # about a mission), however well the conversation placed the next sentence.
        return "the articles never use any of the question's own words"
    if (
        plan.kind in _NEEDS_PHRASE
        and not best.phrases
        and best.support < _PHRASELESS_BELOW
        and not (not own and _read_on(best, evidence, plan.kind))
    ):
        # "When did X happen?" answered by a sentence with no date at all: the articles
        # mention X but not what is asked about it.
        return f"the best sentence holds no {plan.kind.value}"
    return None


def _read_on(best: Candidate, evidence: Evidence, kind: QuestionKind) -> bool:
    """True when, in a conversation about one article, the best sentence is the previous
    answer's or the one after it: an elliptical follow-up reads on from there ("When?",
    "Against whom?" in the article a conversation follows; "Why?" only in a chosen one)."""
    if evidence.anchor is None or evidence.within is None:
        return False
    if kind is QuestionKind.REASON and not evidence.scoped:
        # Over a corpus a sentence that gives no reason does not answer "Why?", even in
        # the article the conversation follows: only a chosen article earns that reading.
        return False
    return 0 <= best.hit.index - evidence.anchor <= _READ_ON


def _known(name: str, plan: Plan, evidence: Evidence) -> Iterable[str]:
    """The terms of a question name that the corpus holds."""
    for slot in plan.slots:
        if slot.word == name:
            known = [t for t in slot.terms if t in evidence.weights]
            return known or [t for alt in slot.alternatives for t in alt if t in evidence.weights]
    return ["?"]  # a name that is a stop word ("US" -> "us") cannot be judged: assume known


def compose(
    question: str,
    hits: Sequence[Hit],
    state: ConversationState,
    evidence: Evidence,
    lexicon: Lexicon,
    plan: Plan | None = None,
) -> Answer:
    """Answer from the hits with cited quotes, or decline; greetings and help get a short reply."""
    plan = plan or read_question(question, state, lexicon)
    if plan.smalltalk is not None:
        reply = SMALLTALK_REPLIES[plan.smalltalk].format(about=evidence.about)
        return Answer(question=question, answered=False, text=reply, kind=QuestionKind.SMALLTALK)
    ranked = rank(plan, hits, evidence, lexicon)
    best = ranked[0] if ranked else None
    note = _follow_up_note(plan)
    reason = decline_reason(plan, best, evidence)
    if reason is not None or best is None:
        text = DECLINE
        if best is not None and best.support > 0:
            text += " " + CLOSEST.format(topic=best.hit.title)
        return Answer(
            question=question,
            answered=False,
            text=text,
            kind=plan.kind,
            query=plan.query,
            note=note,
        )
    chosen = [best.hit]
    context = _context_for(best, ranked, evidence)
    if context is not None:
        chosen.append(context)
    citations = cite(chosen)
    referents = state.last.names if state.last is not None else ()
    span = choose_span(
        question,
        plan.kind,
        best.hit.sentence,
        plan.question_terms,
        lexicon.terms,
        plan.type_word,
        referents=referents,
        anchor_terms=frozenset(t for s in plan.slots for t in s.synonym_terms),
    )
    verdict = None
    if plan.kind is QuestionKind.YESNO:
        own = [s.terms | s.synonym_terms for s in plan.slots if not s.inherited]
        verdict = decide(question, best.hit.sentence, own, lexicon.terms, referents)
    highlight = span.text if span is not None else None
    opener = verdict.capitalize() if verdict is not None else highlight
    lines = [_quote_line(best.hit.sentence, 1, opener)]
    if context is not None:
        lead = "Just before it: " if context.index == best.hit.index - 1 else "Also: "
        lines.append(f"{lead}{_one_line(context.sentence)} [2]")
    return Answer(
        question=question,
        answered=True,
        text="\n\n".join(lines),
        citations=citations,
        kind=plan.kind,
        highlight=highlight,
        highlight_start=best.hit.start + span.start if span is not None else None,
        highlight_end=best.hit.start + span.end if span is not None else None,
        verdict=verdict,
        query=plan.query,
        note=note,
        ranked=cite([c.hit for c in ranked[:RANKED_KEPT]]),
    )


def _follow_up_note(plan: Plan) -> str | None:
    if plan.follow_up is None:
        return None
    return f"Read as a follow-up to: {plan.follow_up.previous_question}"


def _context_for(best: Candidate, ranked: Sequence[Candidate], evidence: Evidence) -> Hit | None:
    """A second sentence: the one before a pronoun-led answer, or a nearly as relevant one."""
    before = evidence.previous.get(best.hit.index)
    if before is not None and needs_context(best.hit.sentence):
        return before
    for other in ranked[1:3]:
        if other.score >= _SECOND_RATIO * best.score and other.hit.index != best.hit.index:
            return other.hit
    return None


def _quote_line(sentence: str, n: int, highlight: str | None) -> str:
    quoted = f"{_one_line(sentence)} [{n}]"
    return f"**{_one_line(highlight)}** - {quoted}" if highlight else quoted


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cite(hits: Sequence[Hit]) -> tuple[Citation, ...]:
    """Citations numbered from 1 in the order given."""
    return tuple(
        Citation(
            n=n,
            doc_id=h.doc_id,
            title=h.title,
            sentence=h.sentence,
            start=h.start,
            end=h.end,
            score=round(h.score, 4),
            paragraph=h.paragraph,
            position=h.position,
            url=h.url,
        )
        for n, h in enumerate(hits, start=1)
    )
