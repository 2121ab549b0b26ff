"""Conversation memory: a few recent turns per conversation id, expiring after a while.

Also the pure rule that reads a follow-up ("Why?", "How many of its peacekeepers died?") with
the subject of the turn before it.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.questions import HOW_QUANTITY, Terms, strip_filler, words_of
from retrieval.models import Frozen


class TurnMemory(Frozen):
    """What a later question may need from an earlier turn.

    ``subject`` is what the turn was about (its names, else its content words), for a
    pronoun in the next question; ``query`` is what was searched, for an elliptical one.
    """

    question: str
    query: str
    subject: str
    answered: bool
    doc_id: str | None = None
    # The global sentence numbers the answer cited, first the answering one: where the
    # conversation stands in the article.
    cited: tuple[int, ...] = ()
    # Who or what the conversation is about after this turn, most likely referent first:
    # the question's names, then the answer's names by how often the article repeats them.
    names: tuple[str, ...] = ()
    # The article the conversation was about at this turn, kept through a decline: a
    # question the article does not answer does not end the conversation about it.
    topic: str | None = None
    # What the conversation's questions searched so far, oldest first, this one last (at most
    # ``HISTORY``): which article a conversation is about is judged from all of them.
    history: tuple[str, ...] = ()


# Questions remembered for judging what a conversation is about: news conversations run to
# about 16 questions, and judging from all of them beat the last four (CoQA-CNN as one
# corpus, hit@1 0.46 -> 0.49; flat from 12 on).
HISTORY = 20


class ConversationState(Frozen):
    """The recent turns of one conversation, oldest first (what the answerer sees)."""

    turns: tuple[TurnMemory, ...] = ()

    @property
    def last(self) -> TurnMemory | None:
        """The most recent turn, if any."""
        return self.turns[-1] if self.turns else None

    @property
    def topic(self) -> str | None:
        """The article the conversation is about, if it has settled on one."""
        last = self.last
        if last is None:
            return None
        return last.topic if last.topic is not None else last.doc_id

    def history_with(self, query: str) -> tuple[str, ...]:
        """The conversation's searches with ``query`` added (the oldest dropped past the cap)."""
        earlier = self.last.history if self.last is not None else ()
        return (*earlier, query)[-HISTORY:]

    @property
    def anchor(self) -> int | None:
        """The sentence the last answered turn cited first: where the conversation stands."""
        for turn in reversed(self.turns):
            if turn.answered and turn.cited:
                return turn.cited[0]
        return None


class FollowUp(Frozen):
    """How a question leans on the turn before it: the words to add to its search."""

    carried: str
    previous_question: str
    # Words of the question that only point back ("country" in "the country"): the carried
    # subject stands for them, so they are not searched themselves.
    stand_ins: tuple[str, ...] = ()


# Words that point back to something named earlier; the personal ones to a person.
_REFERENCES = frozenset(
    "it its they them their theirs he him his she her hers this these those such".split()
)
_PERSONAL = frozenset("he him his himself she her hers herself".split())
# Openers that continue the previous question ("What about Niger?", "And the second one?").
_CONTINUATIONS = (("what", "about"), ("how", "about"), ("and",), ("also",), ("what", "else"))
_QUESTION_WORDS = frozenset(
    "what which who whom whose when where why how is are was were do does did can could "
    "has have had will would should".split()
)
# "Who else?", "What else did he do?": "else" asks for another answer to the question before,
# so it is no word a sentence need hold.
_ANOTHER = frozenset({"else"})
_ONE_POINTERS = frozenset({"which", "that", "this", "another", "the"})
_ELLIPTICAL_WORDS = 5
# Prepositions that may open an elliptical question ("Near what?", "Since when?"); most
# others ("against", "with", "after") are stop words already.
_RELATIONS = frozenset(
    """near along since behind beside besides toward towards across around among inside
    outside beyond despite onto upon within without""".split()
)
_WH = frozenset("what which who whom whose when where".split())
# "the country", "this group": a general noun after a definite determiner points back to
# something named before, as a pronoun does.
_STAND_IN_OTHERS = 1
_DETERMINERS = frozenset("the this that these those".split())
_STAND_IN_NOUNS = frozenset(
    """country countries nation nations state city town region area organisation
    organization group groups mission operation force forces government regime company firm
    team party bloc alliance army president leader man woman person people event attack
    war conflict deal agreement pact plan project""".split()
)


def _stand_ins(words: list[str]) -> list[str]:
    """The general nouns a question uses as references: "country" in "How safe is the country?"."""
    return [b for a, b in itertools.pairwise(words) if a in _DETERMINERS and b in _STAND_IN_NOUNS]


def content_words(text: str, terms: Terms) -> list[str]:
    """The words of a text that are search terms (not stop words or question words), in order."""
    out: list[str] = []
    relations: set[str] = set()
    previous = ""
    words = strip_filler(text).replace("?", " ").split()
    bares = [w.strip(".,;:!?\"'()[]“”‘’") for w in words]
    lowers = [b.lower() for b in bares]
    for i, bare in enumerate(bares):
        lowered = lowers[i]
        if _relates_answer(lowers, i):
            relations.add(bare)
        # "long" in "how long" asks for a number; it is not a word the answer must contain.
        quantity = previous == "how" and lowered in HOW_QUANTITY
        # "Which one?", "that one": a pronoun for an item named before, not the number.
        quantity = quantity or (lowered in {"one", "ones"} and previous in _ONE_POINTERS)
        previous = lowered
        if (
            bare
            and lowered not in _QUESTION_WORDS
            and lowered not in _ANOTHER
            and not quantity
            and any(True for _ in terms(bare))
        ):
            out.append(bare)
    if relations.issuperset(out):
        # "Near what?", "Along with whom?": the preposition only relates the answer to the
        # conversation's last subject; the question has nothing of its own to search.
        return []
    return list(dict.fromkeys(out))


def _relates_answer(words: list[str], i: int) -> bool:
    """True for a preposition right before the question word ("near what", "along with
    whom", "since when"): it says how the answer relates, not what it is about."""
    if words[i] not in _RELATIONS:
        return False
    after = [w for w in words[i + 1 : i + 3] if w != "with"]
    return bool(after) and after[0] in _WH


def subject_of(question: str, terms: Terms) -> str:
    """What a question is about, for a later "it": the noun it asks about plus its names.

    "Which camp did MINUSMA give up?" -> "camp MINUSMA"; without names or such a noun, all
    its content words.
    """
    words = content_words(question, terms)
    body = strip_filler(question).split()
    first = body[0].strip(".,;:!?\"'") if body else ""
    names = [w for w in words if w[:1].isupper() and w != first]
    head = _asked_noun(question)
    # Without a name, the asked-about noun alone is too thin: "it" after "Which countries
    # formed a defence pact?" means the pact, so the other content words come along.
    chosen = [w for w in words if w.lower() == head] + (names or words)
    return " ".join(dict.fromkeys(chosen))


def _asked_noun(question: str) -> str | None:
    """The noun right after which/what/how many ("which *camp*"), if it is not a verb form."""
    words = words_of(strip_filler(question))
    for i, word in enumerate(words[:-1]):
        if word in {"which", "what"} or (word == "how" and words[i + 1] in {"many", "much"}):
            j = i + 2 if word == "how" else i + 1
            after = [w for w in words[j : j + 2] if w not in {"the", "a", "an", "of"}]
            # "What happened", "what caused": a verb in the past, not a noun.
            past = bool(after) and len(after[0]) > 4 and after[0].endswith("ed")
            if after and after[0] not in _QUESTION_WORDS and not past:
                return after[0]
            return None
    return None


def leans_back(question: str, terms: Terms) -> bool:
    """True when a question points back at the conversation: a pronoun ("Why did she go?"),
    a continuation ("And then?") or nothing of its own to search ("Where?")."""
    words = words_of(question)
    if not words:
        return False
    continuation = any(tuple(words[: len(c)]) == c for c in _CONTINUATIONS)
    return bool(_REFERENCES & set(words)) or continuation or not content_words(question, terms)


def read_follow_up(question: str, state: ConversationState, terms: Terms) -> FollowUp | None:
    """The earlier words a follow-up question needs, or None for a self-contained question.

    Elliptical questions ("Why?", "What about Niger?") take the whole previous search; a
    question that points back without naming its subject ("How many of its peacekeepers
    died?", "When did it start?") takes the previous subject. Any other question stands alone.
    """
    last = state.last
    if last is None or not (last.query.strip() or last.subject.strip()):
        return None
    words = words_of(question)
    if not words:
        return None
    own = content_words(question, terms)
    body = strip_filler(question).split()
    first = body[0].strip(".,;:!?\"'") if body else ""
    names = [w for w in own if w[:1].isupper() and w != first]
    continuation = any(tuple(words[: len(c)]) == c for c in _CONTINUATIONS)
    # "Why?", "When?", "How many?": nothing of its own to search for.
    elliptical = not own and len(words) <= _ELLIPTICAL_WORDS
    stand_ins = _stand_ins(words)
    if len({o.lower() for o in own} - set(stand_ins)) > _STAND_IN_OTHERS:
        # "What did the head of the mission admit?" says enough to stand alone.
        stand_ins = []
    refers = bool(_REFERENCES & set(words) or stand_ins) and not names
    if not refers:
        stand_ins = []
    if refers and _PERSONAL & set(words):
        # "What did she do?" means the person the conversation is about. Searched for only
        # when the last question named them: a name taken from an answer is the story's
        # protagonist, whom most of its sentences mention (often as "she"), so searching it
        # would only pull every answer towards the sentences that spell the name out.
        carried = " ".join(n for n in last.names if n in last.question)
    elif refers:
        carried = last.subject or last.query
    elif elliptical or (continuation and len(own) <= 2):
        carried = last.query or last.subject
    else:
        return None
    kept = {o.lower() for o in own} - set(stand_ins)
    carried_words = [w for w in content_words(carried, terms) if w.lower() not in kept]
    if not carried_words:
        return None
    return FollowUp(
        carried=" ".join(carried_words),
        previous_question=last.question,
        stand_ins=tuple(dict.fromkeys(stand_ins)),
    )


@dataclass
class _Entry:
    turns: deque[TurnMemory]
    touched: float = field(default=0.0)


class ConversationMemory:
    """Thread-safe, bounded memory: ``turns`` per conversation, ``conversations`` in all."""

    def __init__(
        self,
        turns: int = 4,
        ttl_seconds: float = 1800.0,
        conversations: int = 10_000,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._turns = turns
        self._ttl = ttl_seconds
        self._max = conversations
        self._clock = clock or time.monotonic
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def state(self, conversation_id: str) -> ConversationState:
        """The live turns of a conversation (expired ones are forgotten)."""
        with self._lock:
            entry = self._entries.get(conversation_id)
            if entry is None:
                return ConversationState()
            if self._clock() - entry.touched > self._ttl:
                del self._entries[conversation_id]
                return ConversationState()
            return ConversationState(turns=tuple(entry.turns))

    def remember(self, conversation_id: str, turn: TurnMemory) -> None:
        """Add a turn, evicting the oldest turn and the least recently used conversation."""
        with self._lock:
            entry = self._entries.pop(conversation_id, None)
            if entry is None or self._clock() - entry.touched > self._ttl:
                entry = _Entry(turns=deque(maxlen=self._turns))
            entry.turns.append(turn)
            entry.touched = self._clock()
            self._entries[conversation_id] = entry
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def reset(self, conversation_id: str) -> None:
        """Forget a conversation."""
        with self._lock:
            self._entries.pop(conversation_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
