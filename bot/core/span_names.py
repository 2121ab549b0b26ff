"""Short-answer candidates that are names: the person a "who" asks for, the place of a "where".

Offers ``person_candidates`` and ``place_candidates`` (each given a ``Reading``), and ``names``,
the capitalised names of a sentence that other finders reuse ("Which team ...?"), with
``after_type_noun``, the names the noun of a question's "which X" stands right before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.core.entities import NameKind, is_place, is_place_of_type, is_title, name_kind
from bot.core.lexicon import NATIONALITIES
from bot.core.models import QuestionKind
from bot.core.phrases import Phrase, find_phrases, tail
from bot.core.questions import Terms, strip_filler, words_of
from bot.core.span_anchors import (
    ADJACENT_CHARS,
    AUX,
    Reading,
    Span,
    asked_verb,
    distance,
    passive_doer,
    phrase_of,
    repeats,
    subject_before,
    verb_lemmas,
    with_ends,
)
from bot.core.span_owners import Owner, owners_kept
from bot.core.span_speakers import speakers_of

_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|into|outside)\s+(?:the\s+)?$", re.IGNORECASE)
# "from a roadside cafe", "on the upper deck": a place phrase up to the next break.
_PLACE_PHRASE = re.compile(
    r"\b(?:in|at|from|to|into|on|near|inside|outside|under|beneath|behind|beside|along)"
    r"\s+(?:the|a|an|his|her|their|its)\s+"
    r"[^,;:.!?()\"“”]{2,40}?(?=\s+(?:in|at|on|to|from|for|with|by|after|before|when|where|"
    r"which|who|that|and|while|is|are|was|were|has|have|had|will|would|can|could|may|might|"
    r"should|must|usually|also)\b|[,;:.!?()\"“”]|$)",
    re.IGNORECASE,
)
# Openers that say where only of a physical thing, and as often under whom or behind what
# ("under the new coach", "behind the decision", "along the way"): the weaker place phrases.
_SPATIAL = re.compile(r"(?:under|beneath|behind|beside|along)\s", re.IGNORECASE)
# Verbs asking where a thing is or was put, for which such a phrase gives its position.
_POSITION_VERBS = """find found locate located lie lay lain sit sat stand stood hide hid hidden
    bury buried place put center centre concentrate base station keep kept store hold held
    live settle stretch run ran flow""".split()
QUANTITY = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|many|some|most|few|both|"
    r"each|every|all|numerous|various)",
    re.IGNORECASE,
)


def person_candidates(r: Reading) -> list[Phrase] | Span | None:
    """Names that may be who the question asks for (the subject of its verb first)."""
    found = _people(r.sentence, r.question_terms, r.terms)
    asks_who = words_of(strip_filler(r.question))[:1] in (["who"], ["whom"], ["whose"])
    # "Who ...?" asks for a person: a name the first-name data knows comes first.
    if asks_who and any(name_kind(q.text) is NameKind.PERSON and not q.weak for q in found):
        found = [replace(p, weak=p.weak or name_kind(p.text) is not NameKind.PERSON) for p in found]
    titled = after_type_noun(r, found)
    if titled:
        return titled
    speakers = speakers_of(r, found)
    if speakers is not None:
        return speakers or None  # two speakers and no telling which said it: nothing
    verb = asked_verb(r.question, r.sentence, r.terms)
    if verb is not None:
        by_doer = _doer_after_by(r, verb, found)
        if by_doer == []:
            return None  # "found by Lake Tana", "killed by a bomb near Kandahar": no one named
        doer = by_doer or _subject_set_off(r, verb, found)
        if doer is not None:
            return doer
        # "Who requested X?": the answer is the subject, before the verb in the sentence.
        subject = subject_before(r.sentence, verb, r.question_terms, r.terms)
        # Not a name whose clause a relative one interrupts right up to the verb: "Maria
        # Lopez, whose father, a baker, founded ..." (the father did).
        before = [p for p in found if p.end <= verb and not p.weak]
        if subject is not None and _nominal(r.sentence, subject):
            # The noun phrase right before the verb is its subject ("..., when French police
            # arrived"): names farther back belong to another clause.
            inside = [p for p in before if subject.start <= p.start and p.end <= subject.end]
            return inside or subject
        if before and all(_clause_open(r.sentence, p.end, verb) for p in before):
            return None  # "Maria Lopez, whose father, a baker, founded ...": the father did
        if before:
            return before
        if (
            subject is not None
            and all(p.weak for p in found)
            and not _bare_opener(r.sentence, subject)
        ):
            return subject
    return found


def place_candidates(r: Reading) -> list[Phrase] | Span | None:
    """Place names, and for a plain "where" the place phrase next to the asked verb."""
    place_word = _place_word(r.question)
    found = _places(r.sentence, r.question_terms, r.terms, place_word)
    if place_word is not None:
        found = owners_kept(r, found, place_word)
    if place_word is None:  # "In what city?" wants a city's name, not "at the lab"
        phrases = _place_phrases(r.sentence, r.question_terms, r.terms, r.anchors)
        found += [p for p in phrases if not _SPATIAL.match(p.text)]
        if not any(not p.weak for p in found) and _asks_position(r):
            # "found *under his body*": only when nothing surer answers a question of where
            # something is.
            found += [p for p in phrases if _SPATIAL.match(p.text)]
    return found


def names(sentence: str, terms: Terms) -> list[Phrase]:
    """Capitalised names, a sentence opener kept only when it reads as a name."""
    out = []
    for found in find_phrases(QuestionKind.PERSON, sentence, set(), lambda _t: ()):
        phrase = _without_common_words(sentence, found, terms)
        if phrase is None or (_opens(sentence, phrase) and not _name_like_opener(phrase.text)):
            continue
        out.append(phrase)
    return out


def _without_common_words(sentence: str, phrase: Phrase, terms: Terms) -> Phrase | None:
    """A name without leading capitalised stop words ("Then", "You", "Can"); None if all."""
    start = phrase.start
    for word in phrase.text.split():
        # Stop words and quantities ("One of ...", "Several ...") open a phrase, never a name.
        if (terms(word) and not QUANTITY.fullmatch(word)) or is_title(word):
            break
        start = sentence.index(word, start) + len(word)
        while start < phrase.end and sentence[start].isspace():
            start += 1
    if start >= phrase.end:
        return None
    return Phrase(sentence[start : phrase.end], start, phrase.end, phrase.weak)


def _opens(sentence: str, phrase: Phrase) -> bool:
    """True when a phrase starts the sentence (or a quoted or bracketed part of it)."""
    before = sentence[: phrase.start].strip()
    return not before or before[-1] in "\"“‘'(:;—–-" or before.endswith("--")


def _name_like_opener(text: str) -> bool:
    """A capitalised first word is a name only if the data knows it or more names follow it."""
    words = text.split()
    first = words[0]
    if first.endswith(","):
        return False  # "Moreover, ...", "Oh, ...": an opening word set off by a comma
    if is_title(first) or is_place(first) or is_place(text):
        return True
    # Several capitalised words ("Tovan Reyes"); a lone opening word that is also a given
    # name somewhere ("Even", "Soon", "Will") is not enough: news names people in full first.
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _people(sentence: str, question_terms: frozenset[str], terms: Terms) -> list[Phrase]:
    """Names that may be who the question asks for; places only as a last resort."""
    out = []
    for found in names(sentence, terms):
        phrase = _after_asked_title(found, question_terms, terms)
        if set(terms(phrase.text)) & question_terms:
            continue
        sort = name_kind(phrase.text)
        parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", phrase.text)
        places = sort is NameKind.PLACE or all(is_place(p) for p in parts)
        lone = phrase.text.lower() in NATIONALITIES or places
        out.append(Phrase(phrase.text, phrase.start, phrase.end, weak=lone))
    return out


def _place_word(question: str) -> str | None:
    """The sort of place asked for: "country" in "From what country?"."""
    words = words_of(question)
    for i, word in enumerate(words[:-1]):
        if word in {"what", "which"} and is_place_of_type("", words[i + 1]) is not None:
            return words[i + 1]
    return None


_OF_NEXT = re.compile(r"\s+(?:of|to)\b", re.IGNORECASE)


def _asks_position(r: Reading) -> bool:
    """True when the question asks where something is or was put ("Where was it found?")."""
    verbs = {t for v in _POSITION_VERBS for t in r.terms(v)}
    return any(verbs & set(r.terms(w)) for w in words_of(r.question))


def _place_phrases(
    sentence: str, question_terms: frozenset[str], terms: Terms, anchors: Sequence[int]
) -> list[Phrase]:
    """The place a verb of the question goes with: "taken *from a roadside cafe*"."""
    out = []
    ends = with_ends(sentence, anchors)
    for match in _PLACE_PHRASE.finditer(sentence):
        phrase = phrase_of(match)
        if not anchors or distance(phrase, ends) > ADJACENT_CHARS:
            continue
        if phrase.start < anchors[0] or repeats(phrase.text, question_terms, terms):
            continue
        if find_phrases(QuestionKind.DATE, phrase.text, set(), terms):
            continue  # "in the 1950s", "in the small hours": when, not where
        if _SPATIAL.match(phrase.text) and (
            _OF_NEXT.match(sentence, phrase.end) or " of " in phrase.text
        ):
            continue  # "under the terms of the law", "behind the decision to close it"
        out.append(phrase)
    return out


def _places(
    sentence: str, question_terms: frozenset[str], terms: Terms, place_word: str | None = None
) -> list[Phrase]:
    """Names the gazetteers know as places; others only after "in", "at", "from".

    A question asking for a sort of place ("what state?") takes the names of that sort first.
    """
    out = []
    for found in find_phrases(QuestionKind.PLACE, sentence, set(question_terms), terms):
        phrase = _without_common_words(sentence, found, terms)
        if phrase is None or (_opens(sentence, phrase) and not _name_like_opener(phrase.text)):
            continue
        parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", phrase.text)
        known = is_place(phrase.text) or all(is_place(p) for p in parts)
        after = _PLACE_BEFORE.search(tail(sentence, phrase.start)) is not None
        person = name_kind(phrase.text) is NameKind.PERSON
        sure = known or (after and not person)
        out.append(Phrase(phrase.text, phrase.start, phrase.end, weak=not sure))
        # "Russia's foreign minister"; "Sen. Ada Reyes, D-Ohio": a party and its state.
        owner = re.match(r"(?P<p>[^,]+?)['’]s\s", phrase.text) or re.fullmatch(
            r"[A-Z]-(?P<p>[A-Z][\w ]+)", phrase.text
        )
        if place_word and owner is not None and is_place(owner.group("p")) and not known:
            # "Which country?" - "Russia's foreign minister": the country that owns it
            # (weighed against the question by ``_owners_kept``).
            start = phrase.start + owner.start("p")
            out.append(Owner(owner.group("p"), start, start + len(owner.group("p"))))
    if place_word is not None and any(is_place_of_type(p.text, place_word) for p in out):
        out = [replace(p, weak=not is_place_of_type(p.text, place_word)) for p in out]
    return out


_DETERMINERS = frozenset("the a an his her their its our this that these those".split())


def _bare_opener(sentence: str, subject: Span) -> bool:
    """True for a lone capitalised word opening the sentence that no name data knows."""
    words = subject.text.split()
    opener = _opens(sentence, Phrase(subject.text, subject.start, subject.end))
    sure = _name_like_opener(subject.text) or subject.text.isupper()
    return opener and not sure and name_kind(words[0]) is NameKind.UNKNOWN


def _nominal(sentence: str, subject: Span) -> bool:
    """True when a phrase reads as who did something: a name, or a noun phrase with its article.

    A capital that only opens the sentence ("Officials said") is no sign of a name; an
    acronym ("CBS") or a word the name data knows ("Galileo") is.
    """
    words = subject.text.split()
    named = words[1:] if _bare_opener(sentence, subject) else words
    return any(c.isupper() for w in named for c in w) or (
        len(words) >= 2 and (words[0].lower() in _DETERMINERS or words[0].endswith(("'s", "’s")))
    )


def _after_asked_title(phrase: Phrase, question_terms: frozenset[str], terms: Terms) -> Phrase:
    """A name without the leading words the question asks by: "*Judge* Ellen Booker" for
    "Who is the judge?" is Ellen Booker (the title is the question's, the name the answer)."""
    words = list(re.finditer(r"\S+", phrase.text))
    # The title may follow a word of its own ("Iraq *President* Jalal Talabani"): the name
    # starts after the last of the question's words.
    asked = [i for i, w in enumerate(words[:-1]) if set(terms(w.group(0))) & question_terms]
    lead = asked[-1] + 1 if asked else 0
    if lead == 0 or not words[lead].group(0)[:1].isupper():
        return phrase
    start = phrase.start + words[lead].start()
    rest = phrase.text[words[lead].start() :]
    if len(words) - lead < 2 or name_kind(rest) is not NameKind.PERSON:
        return phrase  # a person named in full, not the tail of another name ("Year's Eve")
    return Phrase(phrase.text[words[lead].start() :], start, phrase.end, phrase.weak)


def after_type_noun(r: Reading, found: list[Phrase]) -> list[Phrase]:
    """Names right after the noun the question asks by: "Which *engineer* ...?" answered by
    "Harlow engineer Miriam Cole" (a title or role before a name stands for it)."""
    words = words_of(strip_filler(r.question))
    if len(words) < 2 or words[0] not in {"which", "what"}:
        return []
    head = set(r.terms(words[1]))
    if not head:
        return []
    out = []
    for p in found:
        word = _word_before(r.sentence[: p.start])
        if word and head & set(r.terms(word)) and not p.weak:
            out.append(p)
    return out


def _word_before(text: str) -> str:
    """The word ``text`` ends on before its trailing space ("" with no space or no word).

    By slicing: a regex anchored at the end retries from every character of a long word.
    """
    if not text[-1:].isspace():
        return ""
    chunk = text.rstrip().rsplit(maxsplit=1)[-1] if text.strip() else ""
    start = len(chunk)
    while start > 0 and (chunk[start - 1].isalnum() or chunk[start - 1] in "_'’-"):
        start -= 1
    return chunk[start:]


_BY_AGENT = re.compile(r"\S*\s+by\s+")


def _doer_after_by(r: Reading, verb: int, found: list[Phrase]) -> list[Phrase] | None:
    """ "Who ordered the review?" - "the review ordered *by the council*": the names right
    after the "by" that follows the asked verb (a passive names its doer there); [] when
    that "by" names no one ("by Lake Tana", "by the end of May", "by a bomb")."""
    by = _BY_AGENT.match(r.sentence, verb)
    if by is None:
        return None
    doer = passive_doer(r.sentence, by.end())
    if doer is None:
        return []
    inside = [p for p in found if by.end() <= p.start < doer.end]
    if not inside:
        # A doer without a name ("by a roadside bomb near Kandahar"): the names elsewhere
        # in the sentence did not do it.
        return []
    return [p for p in inside if not p.weak] or None


def _subject_set_off(r: Reading, verb: int, found: list[Phrase]) -> Span | None:
    """ "Ada Reyes, a chemist who ..., *founded* the lab": the name opening the sentence,
    set off by an apposition that ends right before the asked verb, is its subject."""
    if not found:
        return None
    first = min(found, key=lambda p: p.start)
    head = r.sentence[:verb].rstrip()
    before_name = r.sentence[: first.start].strip()
    if first.weak or before_name or r.sentence[first.end : first.end + 1] != ",":
        return None
    words = head.split()
    aux = words[-1].lower() if words else ""
    if aux in AUX or aux in {"also", "then", "later"}:
        head = head[: len(head) - len(aux)].rstrip()
    if not head.endswith(",") or head.rfind(",") <= first.end:
        return None
    if _clause_open(head, first.end, len(head)):
        return None  # "Maria Lopez, whose father, a baker, founded ...": the father did
    return Span(first.text, first.start, first.end)  # however far the verb: it is its subject


_OPEN_CHARS = 200  # a clause's opening words stand within a few lines of its verb
_OPENERS = frozenset("who whose whom which that after because when while since although".split())


def _clause_open(sentence: str, name_end: int, verb: int) -> bool:
    """True when the last relative or subordinate clause between a name and a verb has no
    verb of its own yet ("the man who, in 1950, founded", "after his brother, police said,
    shot"): the verb that follows is that clause's, not the name's."""
    start = max(name_end, verb - _OPEN_CHARS)  # the last clause is all that counts
    words = re.findall(r"[\w'’]+|,", sentence[start:verb].lower())
    opened = [i for i, w in enumerate(words) if w in _OPENERS]
    if not opened:
        return False
    at = opened[-1]
    if words[at] in {"who", "which"} and (
        (at == 0 and start == name_end) or (at > 0 and words[at - 1] == ",")
    ):
        return False  # "Ada Reyes (of Leeds), who founded ...": the relative is the name's
    rest = words[at + 1 :]
    if rest[:1] and rest[0] in {"he", "she", "they"}:
        return False  # "Ada Reyes ..., when she founded ...": the pronoun stands for the name
    clause = rest[: rest.index(",")] if "," in rest else rest
    return not any(verb_lemmas(w) - {w} for w in clause)
