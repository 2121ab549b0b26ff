"""Grid over BM25's k1 and b: retrieval-only hit@1 (the top sentence) on a question set.

``python -m bench.tune_bm25`` runs the grid that chose the defaults (k1 = 0.7, b = 0.4) on
SQuAD v1.1 dev from ``../shared/data``. It tokenizes once and rebuilds only the matrix per pair.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from bot.core.evaluation import Conversation, matches, read_items
from retrieval.documents import load_corpus
from retrieval.engines import build_engine_from_arrays
from retrieval.index import BM25Params, SentenceIndex, analyse
from retrieval.tokens import Tokenizer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "squad-v1.1-dev"


def grid(
    corpus: Path, questions: Path, k1s: list[float], bs: list[float]
) -> list[tuple[float, float, float]]:
    """Hit@1 of the top BM25 sentence for every (k1, b) pair, in grid order."""
    documents = load_corpus(corpus).documents
    tokenizer = Tokenizer()
    analysis = analyse(documents, tokenizer)
    turns = [
        t
        for item in read_items(questions)
        for t in (item.turns if isinstance(item, Conversation) else [item])
    ]
    answerable = [t for t in turns if t.gold]
    results = []
    for k1, b in itertools.product(k1s, bs):
        engine = build_engine_from_arrays(
            "bm25s", analysis.term_ids, analysis.indptr, len(analysis.vocabulary), k1, b
        )
        index = SentenceIndex(documents, analysis, engine, tokenizer, BM25Params("bm25s", k1, b))
        hits = sum(
            1
            for t in answerable
            if (top := index.search(t.question, 1)) and matches(top[0].sentence, t.gold)
        )
        results.append((k1, b, hits / max(1, len(answerable))))
    return results


def main() -> None:
    """Print hit@1 for each pair, best last."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--questions", type=Path, default=SHARED / "questions.jsonl")
    parser.add_argument("--k1", type=float, nargs="+", default=[0.5, 0.7, 0.9, 1.2, 1.5, 2.0])
    parser.add_argument("--b", type=float, nargs="+", default=[0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 0.9])
    args = parser.parse_args()
    results = grid(args.corpus, args.questions, args.k1, args.b)
    for k1, b, hit in sorted(results, key=lambda r: r[2]):
        print(f"k1={k1:<4} b={b:<4} hit@1={hit:.4f}")


if __name__ == "__main__":
    main()
