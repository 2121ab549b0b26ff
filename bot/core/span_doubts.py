"""When a chosen short answer is more likely wrong than right: the sentence alone is shown then.

A highlight that names the wrong thing misleads, while the cited sentence alone still holds the
answer somewhere; so a span is withheld where, measured on every dev set, the span scores below
its sentence against what people wrote as the short answer.

The one such class found (SQuAD v1.1 dev, both halves; CoQA-CNN and MINUSMA untouched): a
"what" or "which" question answered by a short phrase (one or two words) that stands more than
about five words from every word of the question, in a sentence that holds at least two of those
words. The question's words mark where the sentence speaks of what is asked; a short phrase far
from all of them is another thing the sentence happens to mention (four in five such highlights
were plainly wrong). With a single question word in the sentence (often only the name the
conversation is about) its place says little, so nothing is withheld on distance alone.

Signals measured and left alone, because the span still beat the bare sentence on average: a
person or place answered by a phrase the name data does not know, names far from the question's
words (the subject of a "who" question often opens the sentence, far from its verb), how many
candidates of the kind competed and how close the runner-up stood, spans holding a question word
or the conversation's referent, single words, and spans long for their sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.phrases import Phrase
from bot.core.span_anchors import Span, distance

__all__ = ["stray_thing"]

FAR_CHARS = 30  # about five words: beyond it a short phrase answers something else
SHORT_WORDS = 2  # a phrase this short is one name or noun, no clause that could bridge the gap
MIN_ANCHORS = 2  # fewer question words in the sentence do not say where the question stands


def stray_thing(span: Span, anchors: Sequence[int]) -> bool:
    """True when a short answer to a "what" question stands far from all the question's words.

    ``anchors`` are where the question's words stand in the sentence (ascending offsets).
    """
    if len(anchors) < MIN_ANCHORS or len(span.text.split()) > SHORT_WORDS:
        return False
    return distance(Phrase(span.text, span.start, span.end), anchors) > FAR_CHARS
