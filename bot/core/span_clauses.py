"""Short-answer candidates that are clauses: a purpose, a cause, a time told by an event.

Offers ``purposes`` (the "to ..." that says why), ``causes`` (what made or caused something)
and ``time_clauses`` (the "during ...", "until ...", "when ..." that says when), each given a
``Reading``; ``span_measures`` tries them when the sentence has no "because" or date.
"""

from __future__ import annotations

import re

from bot.core.phrases import Phrase
from bot.core.questions import strip_filler, words_of
from bot.core.span_anchors import (
    AUX,
    TOKEN,
    TRAILING,
    Reading,
    is_base_verb,
    repeats,
    subject_before,
    verb_lemmas,
)

# "to protect the crops", "in order to save fuel": what something is done for.
_TO = re.compile(r"\b(?:in\s+order\s+|so\s+as\s+)?to\s+(?P<verb>[A-Za-z][a-z'’-]*)\b", re.I)
_PURPOSE_END = re.compile(r"[,;:.!?()\[\]\"“”—–]|\s-\s|$")
# Words before "to" that take an infinitive as their object ("wanted to leave", "is able to
# fly", "the decision to close"): the infinitive says what was wanted, not why.
_TAKES_INFINITIVE = frozenset(
    """want wants wanted wanting need needs needed needing try tries tried trying seek seeks
    sought seeking plan plans planned planning hope hopes hoped decide decides decided agree
    agreed refuse refused refuses begin began begun begins start started starts continue
    continued continues used use going able unable likely unlikely is are was were be been
    being has have had expected expect intend intended fail failed failing manage managed
    attempt attempted attempts choose chose chosen seem seems seemed appear appears appeared
    tend tends tended ought due set came come allowed allow allows asked ask forced urged
    ordered promised promise prepared ready willing according next way ways right chance
    ability opportunity order decision decided effort efforts difficult easy hard possible
    impossible necessary important first last only permitted""".split()
)
_PURPOSE_WORDS = 12


def purposes(r: Reading) -> list[Phrase]:
    """For "why": an infinitive of purpose ("set up *to protect the crops*").

    Not one a word takes as its object ("wanted to leave"), not "to" before a name or a noun
    ("to Paris", "to people"), and only for a question with a verb of its own: after a bare
    "Why?" any purpose in the sentence may be another verb's.
    """
    words = words_of(r.question)
    if "why" not in words[:3] or len(words) < 3:
        return []
    out = []
    for match in _TO.finditer(r.sentence):
        verb = match.group("verb")
        before = r.sentence[: match.start()].split()
        previous = before[-1].lower().strip("\"“”'’") if before else ""
        opening = not before or before[-1][-1:] in ',;:("“'
        if not (verb.islower() or (opening and verb[:1].isupper() and verb[1:].islower())):
            continue  # "to Paris", "to ABC": a name
        if previous in _TAKES_INFINITIVE or not is_base_verb(verb.lower()) or verb.lower() == "be":
            continue
        if set(r.terms(verb)) & r.question_terms:
            continue  # "Why did she decide to leave?" - "to leave" is what she decided
        stop = _PURPOSE_END.search(r.sentence, match.end())
        end = stop.start() if stop is not None else len(r.sentence)
        text = r.sentence[match.start() : end].rstrip()
        if len(text.split()) > _PURPOSE_WORDS or repeats(text, r.question_terms, r.terms):
            continue
        out.append(Phrase(text, match.start(), match.start() + len(text)))
    return out


_BE = frozenset("is are was were be been being".split())
_AGENT = re.compile(r"\s+by\s+(?P<np>[^,;:.!?()\[\]\"“”—–]{3,80})")
_CLAUSE_START = re.compile(r"[,;:(]\s*|^")


def causes(r: Reading) -> list[Phrase]:
    """For "What made / caused / led to X?": what does that in the sentence, the subject of
    its verb ("Budget cuts *forced* ..."), the agent of its passive ("was caused *by* ..."),
    or the clause before its participle ("..., *making* the roads unsafe")."""
    words = words_of(strip_filler(r.question))
    if len(words) < 3 or words[0] != "what" or words[1] in AUX:
        return []
    verbs = verb_lemmas(words[1])
    if not verbs:
        return []
    out: list[Phrase] = []
    for token in TOKEN.finditer(r.sentence):
        if not verb_lemmas(token.group(0).lower()) & verbs:
            continue
        before = r.sentence[: token.start()].split()
        agent = _AGENT.match(r.sentence, token.end())
        if before and before[-1].lower() in _BE and agent is not None:
            np = agent.group("np").rstrip()
            out.append(Phrase(np, agent.start("np"), agent.start("np") + len(np)))
        elif before and before[-1].endswith(",") and token.group(0).lower().endswith("ing"):
            head = r.sentence[: token.start()].rstrip().rstrip(",")
            starts = [m.end() for m in _CLAUSE_START.finditer(head)]
            clause = head[starts[-1] :].strip()
            if len(clause.split()) <= _PURPOSE_WORDS:
                out.append(Phrase(clause, head.rindex(clause), head.rindex(clause) + len(clause)))
        else:
            subject = subject_before(r.sentence, token.start(), r.question_terms, r.terms)
            if subject is not None:
                out.append(Phrase(subject.text, subject.start, subject.end))
    return [p for p in out if not repeats(p.text, r.question_terms, r.terms)]


# "during the last ice age", "after the war ended", "when the river froze": a time said by
# what happened then rather than by a date.
_TIME_CLAUSE = re.compile(
    r"\b(?:during|throughout|after|before|until|till|following|upon|once|whenever|when|"
    r"as\s+soon\s+as|by\s+the\s+time|at\s+the\s+(?:end|start|beginning|height)\s+of)\s+"
    r"[^,;:.!?()\[\]\"“”—–]+",
    re.IGNORECASE,
)
_TIME_WORDS = 10
_WH = frozenset("what which who whom whose when where why how".split())
_TIME_TRAILING = TRAILING | {"however", "though", "too", "also", "a", "an"}
_TIME_NOT_OBJECT = frozenset("in on at of for with by to from into as".split())


def time_clauses(r: Reading) -> list[Phrase]:
    """For "when" without a date in the sentence: the phrase or clause that says when.

    Only when "when" is what the question asks: in "When it rains, what floods?" it sets
    the scene for another question word.
    """
    asked = [w for w in words_of(r.question) if w in _WH]
    if asked[:1] != ["when"] or len(set(asked)) > 1:
        return []
    out = []
    for match in _TIME_CLAUSE.finditer(r.sentence):
        words = match.group(0).split()
        while words and words[-1].lower() in _TIME_TRAILING:
            words.pop()  # "until the war ended however", "after the vote a"
        if len(words) < 2 or words[1].lower() in _TIME_NOT_OBJECT:
            continue  # "throughout in the form of": an adverb, not a time
        start = match.start()
        end = start + len(match.group(0))
        while r.sentence[start:end].split() != words:
            end = r.sentence.rindex(" ", start, end)  # drop the trailing words left off
        text = r.sentence[start:end].rstrip()
        phrase = Phrase(text, start, start + len(text))
        if len(phrase.text.split()) > _TIME_WORDS or repeats(
            phrase.text, r.question_terms, r.terms
        ):
            continue
        if len(list(r.terms(phrase.text))) < 2:
            continue  # "after that", "until then": a time only the sentence before tells
        out.append(phrase)
    return out
