"""The real-news benchmark corpus: BBC and Reuters articles, then articles recombined from them.

``python -m bench.corpus --size 1m`` writes, below a work folder outside the repository
(``/tmp/qabot-bench``), every distinct article of the two archives (read straight from the
tarballs), then, until the sentence count is reached, new articles made of one original's
paragraphs with a paragraph of another original inserted at a seeded place. No two files are
equal, so the index skips none as a duplicate; the text is all real news. Beside the corpus it
writes known-item questions: a question made from one sentence, that sentence as the gold, so
hit@1 says whether the bot finds the very sentence a question was made from.

Everything is seeded: the same archives give the same corpus and questions on any machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.documents import parse_front_matter
from retrieval.sentences import sentence_bounds
from retrieval.tokens import Tokenizer

REPO = Path(__file__).resolve().parent.parent
ARCHIVES = (
    REPO.parent / "shared" / "data" / "news" / "bbc.tar.gz",
    REPO.parent / "shared" / "data" / "news" / "reuters21578.tar.gz",
)
DEFAULT_WORK = Path("/tmp/qabot-bench")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 5
# Files per sub-folder: an archive of 100,000 files is rarely one flat folder.
FOLDER_FILES = 1000
# A sentence a question is made from: long enough to be about something.
MIN_GOLD_CHARS = 60
QUESTION_WORDS = 6


@dataclass(frozen=True)
class Article:
    """One distinct source article: where it came from, its headline and its paragraphs."""

    source: str
    name: str
    title: str
    paragraphs: tuple[str, ...]


def check_work_dir(work: Path) -> Path:
    """The resolved work folder; refuse one inside the repository (corpora never go there)."""
    resolved = work.resolve()
    if resolved == REPO or REPO in resolved.parents:
        raise ValueError(
            f"work folder {str(work)!r} is inside the repository; use e.g. {DEFAULT_WORK}"
        )
    return resolved


def read_articles(archives: tuple[Path, ...] = ARCHIVES) -> list[Article]:
    """Every distinct non-empty article of the archives, in a fixed shuffled order."""
    articles: list[Article] = []
    seen: set[bytes] = set()
    for archive in archives:
        if not archive.is_file():
            raise FileNotFoundError(
                f"news archive {str(archive)!r} is missing; see ../shared/data/README.md"
            )
        # In stream order (a gzip tar cannot seek back cheaply), sorted by name afterwards.
        with tarfile.open(archive) as tar:
            raw: list[tuple[str, bytes]] = []
            for member in tar:
                data = tar.extractfile(member) if member.isfile() else None
                if data is not None and member.name.endswith(".txt"):
                    raw.append((member.name, data.read()))
        for name, content in sorted(raw):
            text = content.decode("utf-8", errors="replace").strip()
            digest = hashlib.blake2b(text.encode()).digest()
            if not text or digest in seen:  # the archives hold some articles twice
                continue
            seen.add(digest)
            title, _, body = text.partition("\n")
            paragraphs = tuple(p.strip() for p in body.split("\n\n") if p.strip())
            if not paragraphs:
                continue
            path = Path(name)
            source = path.parts[0] if len(path.parts) > 1 else archive.name.split(".")[0]
            articles.append(Article(source, path.stem, title.strip(), paragraphs))
    random.Random(SEED).shuffle(articles)
    return articles


def render(title: str, source: str, paragraphs: tuple[str, ...] | list[str]) -> str:
    """A corpus file: front matter, the headline, then the paragraphs."""
    # Quotes would be stripped by the front matter parser; the headline line keeps them.
    return (
        f"---\ntitle: {title}\nsource: {source}\n---\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    )


def variants(articles: list[Article], rng: random.Random) -> Iterator[tuple[str, str]]:
    """(file name, text): the originals, then recombined articles, endlessly, none twice."""
    for article in articles:
        yield (
            f"{article.source}-{article.name}.txt",
            render(article.title, article.source, article.paragraphs),
        )
    made: set[tuple[int, int, int, int]] = set()
    round_ = 0
    while len(articles) > 1:
        round_ += 1
        before = len(made)
        for n, base in enumerate(articles):
            other = rng.randrange(len(articles) - 1) if len(articles) > 1 else 0
            other += other >= n  # never the base itself
            donor = articles[other]
            piece = rng.randrange(len(donor.paragraphs))
            where = rng.randrange(len(base.paragraphs) + 1)
            recipe = (n, other, piece, where)
            if recipe in made:
                continue
            made.add(recipe)
            paragraphs = list(base.paragraphs)
            paragraphs.insert(where, donor.paragraphs[piece])
            source = f"{base.source} + {donor.source}-{donor.name} (recombined {round_})"
            yield (
                f"{base.source}-{base.name}-r{round_:03d}.txt",
                render(base.title, source, paragraphs),
            )
        if len(made) == before:  # a tiny archive has run out of new combinations
            return


def body_sentences(text: str) -> int:
    """How many sentences the index will find in a file's text (front matter excluded)."""
    return sum(1 for _ in sentence_bounds(text, parse_front_matter(text)[1]))


def generate(articles: list[Article], target: int, out: Path) -> tuple[int, int]:
    """Write distinct articles into ``out`` until ``target`` sentences; (files, sentences)."""
    if len(articles) < 2:
        raise ValueError("at least two distinct articles are needed to recombine them")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = sentences = 0
    seen: set[bytes] = set()
    for name, text in variants(articles, random.Random(SEED)):
        if sentences >= target:
            break
        digest = hashlib.blake2b(text.encode()).digest()
        if digest in seen:
            continue
        seen.add(digest)
        folder = out / f"part{files // FOLDER_FILES:04d}"
        folder.mkdir(exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        files += 1
        sentences += body_sentences(text)
    if sentences < target:
        raise ValueError(f"the archives make only {sentences:,} sentences, not {target:,}")
    # A marker with the counts lets the benchmark reuse a finished corpus.
    (out / ".generated").write_text(f"{files} {sentences} {target}\n", encoding="utf-8")
    return files, sentences


def make_questions(
    articles: list[Article], count: int, seed: int = 7, among: int | None = None
) -> list[dict[str, Any]]:
    """Known-item questions: a sentence's first content words asked about, that sentence as gold.

    Sentences come from the first ``among`` originals (every corpus size holds them all).
    """
    tokenizer = Tokenizer()
    rng = random.Random(seed)
    pool = articles[: among or len(articles)]
    questions: list[dict[str, Any]] = []
    for article in rng.sample(pool, len(pool)):
        text = render(article.title, article.source, article.paragraphs)
        spans = [
            (s, e)
            for s, e, _, _ in sentence_bounds(text, parse_front_matter(text)[1])
            if e - s > MIN_GOLD_CHARS
        ]
        if not spans:
            continue
        start, end = rng.choice(spans)
        sentence = text[start:end]
        words = [w for w in sentence.split() if tokenizer.tokenize(w)][:QUESTION_WORDS]
        if len(words) < 3:
            continue
        questions.append({"question": "What about " + " ".join(words) + "?", "gold": [sentence]})
        if len(questions) == count:
            break
    return questions


def originals_within(articles: list[Article], target: int) -> int:
    """How many originals the smallest corpus of ``target`` sentences holds whole."""
    sentences = 0
    for n, article in enumerate(articles):
        sentences += body_sentences(render(article.title, article.source, article.paragraphs))
        if sentences >= target:
            return n
    return len(articles)


def ensure_corpus(
    work: Path, size: str, archives: tuple[Path, ...] = ARCHIVES
) -> tuple[Path, int, int]:
    """The corpus folder for a named size, generated if missing; (folder, files, sentences)."""
    target = SIZES[size]
    out = check_work_dir(work) / f"corpus-{size}"
    marker = out / ".generated"
    if marker.exists():
        files, sentences, made_for = (int(v) for v in marker.read_text(encoding="utf-8").split())
        if made_for == target:
            return out, files, sentences
    files, sentences = generate(read_articles(archives), target, out)
    return out, files, sentences


def ensure_questions(
    work: Path, count: int, smallest: str, archives: tuple[Path, ...] = ARCHIVES
) -> Path:
    """The known-item question file (JSON Lines), made from originals every size holds."""
    path = check_work_dir(work) / f"questions-{count}-{smallest}.jsonl"
    if not path.exists():
        articles = read_articles(archives)
        items = make_questions(articles, count, among=originals_within(articles, SIZES[smallest]))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(q) + "\n" for q in items), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Generate the benchmark corpora: ``python -m bench.corpus --size 1m``."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="work folder (outside the repo)"
    )
    parser.add_argument(
        "--size", choices=sorted(SIZES), action="append", help="corpus size (repeatable)"
    )
    parser.add_argument("--questions", type=int, default=0, help="also write N questions")
    args = parser.parse_args(argv)
    sizes = args.size or list(SIZES)
    for size in sizes:
        folder, files, sentences = ensure_corpus(args.work, size)
        print(f"{size}: {files:,} files, {sentences:,} sentences in {folder}")
    if args.questions:
        smallest = min(sizes, key=SIZES.__getitem__)
        print(f"questions: {ensure_questions(args.work, args.questions, smallest)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
