"""Ablation of the answerer's word lists: hit@1 with and without each, on every dev set.

A hand-written list earns its place by a gain on data it was not written for. This runs
``qabot eval``'s scoring in-process over each available set, once with everything and once
with each list emptied, and prints a Markdown table (the README carries it). Usage, from the
project root with ``../shared`` beside it:

    python -m bench.ablate            # all sets (SQuAD takes most of the few minutes)
    python -m bench.ablate --quick    # without SQuAD
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core import lexicon
from bot.core.chat import Chat
from bot.core.evaluation import evaluate, read_items
from retrieval.documents import load_corpus
from retrieval.index import SentenceIndex

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUNDLED = ROOT / "corpus"


@dataclass(frozen=True)
class EvalSet:
    """A question file and the corpus it is asked over."""

    name: str
    questions: Path
    corpus: Path


SETS = (
    EvalSet("MINUSMA dev", SHARED / "eval" / "minusma-dev.jsonl", BUNDLED),
    EvalSet("MINUSMA conversations", SHARED / "eval" / "minusma-dev-conversations.jsonl", BUNDLED),
    EvalSet(
        "CoQA-CNN dev",
        SHARED / "data" / "coqa-cnn-dev" / "conversations.jsonl",
        SHARED / "data" / "coqa-cnn-dev" / "corpus",
    ),
    EvalSet(
        "SQuAD v1.1 dev",
        SHARED / "data" / "squad-v1.1-dev" / "questions.jsonl",
        SHARED / "data" / "squad-v1.1-dev" / "corpus",
    ),
)


def _none(*_args: object) -> tuple[str, ...]:
    return ()


# Each list and how to switch it off: the module attributes the lexicon reads.
# (Dropped after this table showed no gain: a looser news thesaurus, which cost 1.2 points on
# CoQA-CNN; phrasal verbs and idioms, which moved no set. lemminflect's tables in place of the
# irregular forms list scored the same within noise but cost 0.6 s to load on the first
# question, which a restart must not pay.)
LISTS: dict[str, dict[str, object]] = {
    "thesaurus (lexicon.THESAURUS)": {"THESAURUS": ()},
    "irregular forms (lexicon.FORMS)": {"_FORMS_OF": {}},
    "title abbreviations (lexicon.TITLES)": {"_TITLE_OF": {}},
    "demonyms (lexicon.demonym_forms)": {"demonym_forms": _none},
    "number words (lexicon.number_forms)": {"number_forms": _none},
}


@contextlib.contextmanager
def without(attributes: dict[str, object]) -> Iterator[None]:
    """Replace lexicon module attributes for the duration of the block."""
    saved = {name: getattr(lexicon, name) for name in attributes}
    try:
        for name, value in attributes.items():
            setattr(lexicon, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(lexicon, name, value)


def hit_at_1(index: SentenceIndex, questions: Path) -> float:
    """hit@1 of a fresh chat over the index (the Lexicon is built with the current lists)."""
    return evaluate(read_items(questions), Chat(index).ask).hit_at_1


def main() -> None:
    """Print the ablation table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="leave out SQuAD")
    args = parser.parse_args()
    sets = [s for s in SETS if s.questions.exists() and not (args.quick and "SQuAD" in s.name)]
    indexes = {s.name: SentenceIndex.build(load_corpus(s.corpus).documents) for s in sets}
    runs: list[tuple[str, dict[str, object]]] = [("all lists", {})]
    runs += [(f"without {name}", attrs) for name, attrs in LISTS.items()]
    print("| run | " + " | ".join(s.name for s in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for label, attrs in runs:
        with without(attrs):
            row = [hit_at_1(indexes[s.name], s.questions) for s in sets]
        print(f"| {label} | " + " | ".join(f"{v:.4f}" for v in row) + " |", flush=True)


if __name__ == "__main__":
    main()
