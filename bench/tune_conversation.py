"""Coordinate ascent over the answerer's conversation weights on a conversation set.

Reports hit@1 on the even and the odd conversations separately, so a weight that only
helps one half shows as such. Usage (from the project root):

    python -m bench.tune_conversation ../shared/data/coqa-cnn-dev/conversations.jsonl \\
        --corpus ../shared/data/coqa-cnn-dev/corpus
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.core import ranking
from bot.core.chat import Chat
from bot.core.conversation import ConversationMemory
from bot.core.evaluation import Conversation, Turn, evaluate, read_items
from retrieval.documents import load_corpus
from retrieval.index import SentenceIndex

KNOBS: dict[str, tuple[float, ...]] = {
    "_SAME_SENTENCE": (0.0, 0.15, 0.3, 0.5, 0.8),
    "_NEXT_SENTENCE": (0.0, 0.1, 0.2, 0.4, 0.6),
    "_EARLIER_SENTENCE": (0.0, 0.05, 0.1, 0.2),
    "_READING_SPAN": (1.0, 2.0, 4.0),
    "_LEAD": (0.0, 0.15, 0.3, 0.6),
    "_LEANING": (1.0, 1.5, 2.0, 3.0),
    "_BM25_WEIGHT": (0.4, 0.8, 1.2),
    "_COVERAGE_WEIGHT": (1.0, 1.5, 2.0),
}


def score(index: SentenceIndex, items: list[Turn | Conversation]) -> float:
    """hit@1 of a fresh chat (no memory carried between runs)."""
    chat = Chat(index, ConversationMemory(turns=4))
    return evaluate(items, chat.ask).hit_at_1


def main() -> None:
    """Run the ascent and print each improvement with both halves' figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    index = SentenceIndex.build(load_corpus(args.corpus).documents)
    items = read_items(args.file)
    halves = (items[0::2], items[1::2])
    best = score(index, items)
    print(f"start: {best:.4f}  halves {[round(score(index, h), 4) for h in halves]}")
    for _ in range(args.rounds):
        for name, values in KNOBS.items():
            for value in values:
                old = getattr(ranking, name)
                setattr(ranking, name, value)
                got = score(index, items)
                if got > best + 1e-9:
                    best = got
                    parts = [round(score(index, h), 4) for h in halves]
                    print(f"{name} = {value}: {best:.4f}  halves {parts}", flush=True)
                else:
                    setattr(ranking, name, old)
    print({name: getattr(ranking, name) for name in KNOBS})


if __name__ == "__main__":
    main()
