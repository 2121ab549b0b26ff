"""The speaker a "Who said ...?" asks for: the name the sentence gives beside its verb of saying.

Offers ``speakers_of`` (``span_names`` tries it first for such a question).
"""

from __future__ import annotations

import bisect
import re

from bot.core.lexicon import SAYING_VERBS, SPEAKER_VERBS
from bot.core.phrases import Phrase, tail
from bot.core.questions import strip_filler, words_of
from bot.core.span_anchors import Reading

_SAID = "|".join(SPEAKER_VERBS)
# "..., said Ada Reyes." - the name right after the verb, ending its clause ("Police said Ada
# Reyes had ..." makes her what was said, not who said it).
_SAID_BEFORE = re.compile(rf"\b(?:{_SAID})\s+$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\s*(?:[,;:.!?)\"”]|--|—|$)")
# "Ada Reyes said / told ...": "told" too, as the name before it is the speaker.
_SAID_AFTER = re.compile(rf"\s*(?:,\s*)?(?:{_SAID}|told)\b", re.IGNORECASE)
# Where one speaker's words end and another's begin: "..., but Tom Lee said ...".
_CLAUSE_CHARS = 300  # a speaker's words stand within a few lines of the name
_SPEAKER_BREAK = re.compile(r";|,\s*(?:but|and|while|whereas|though)\s+|\s+but\s+")


def speakers_of(r: Reading, found: list[Phrase]) -> list[Phrase] | None:
    """For "Who said / stated / claimed ...?": the name the sentence gives as its speaker,
    right after or before "said" ("..., *said* Ada Reyes", "Ada Reyes *said*"), whatever
    verb of saying the question uses; of two speakers (a name the data is unsure of too),
    the one whose words hold more of the question's (none when they tie)."""
    words = words_of(strip_filler(r.question))
    if len(words) < 2 or words[0] != "who" or words[1] not in SAYING_VERBS:
        return None
    speakers = [
        p
        for p in found
        if (
            (
                _SAID_BEFORE.search(tail(r.sentence, p.start)) is not None
                and _CLAUSE_END.match(r.sentence, p.end) is not None
            )
            or _SAID_AFTER.match(r.sentence, p.end, p.end + 20) is not None
        )
    ]
    if len(speakers) < 2:
        return [p for p in speakers if not p.weak] or None
    asked = r.question_terms - {t for w in SAYING_VERBS for t in r.terms(w)}
    breaks = [(m.start(), m.end()) for m in _SPEAKER_BREAK.finditer(r.sentence)]
    score = {}
    for p in speakers:
        # The speaker's clause: from the break before it to the break after it.
        at = bisect.bisect_left(breaks, (p.start, p.start))
        start = breaks[at - 1][1] if at else 0
        later = bisect.bisect_left(breaks, (p.end, p.end))
        end = breaks[later][0] if later < len(breaks) else len(r.sentence)
        start, end = max(start, p.start - _CLAUSE_CHARS), min(end, p.end + _CLAUSE_CHARS)
        own = set(r.terms(r.sentence[start:end])) - set(r.terms(p.text))
        score[p] = len(own & asked)
    best = max(score.values())
    top = [p for p in speakers if score[p] == best]
    return top if len(top) == 1 and best > 0 and not top[0].weak else []
