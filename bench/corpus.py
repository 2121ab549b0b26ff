"""The news-corpus generator: BBC and Reuters articles, repeated to reach a sentence count.

Copies are distinct files (a copy number in the name and in the front matter) so the corpus
looks like an archive of many articles, never like one file listed many times.
Everything is written below a work folder outside the repository (``/tmp/qabot-bench``).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from retrieval.documents import parse_front_matter
from retrieval.sentences import sentence_bounds

REPO = Path(__file__).resolve().parent.parent
ARCHIVES = (
    REPO.parent / "shared" / "data" / "news" / "bbc.tar.gz",
    REPO.parent / "shared" / "data" / "news" / "reuters21578.tar.gz",
)
DEFAULT_WORK = Path("/tmp/qabot-bench")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
# A fixed shuffle so every run (and every machine) builds the same corpora.
SEED = 5


@dataclass(frozen=True)
class Article:
    """One source article: where it came from, its title line and its text."""

    source: str
    name: str
    title: str
    text: str
    sentences: int


def check_work_dir(work: Path) -> Path:
    """The resolved work folder; refuse one inside the repository (corpora never go there)."""
    resolved = work.resolve()
    if resolved == REPO or REPO in resolved.parents:
        raise ValueError(
            f"work folder {str(work)!r} is inside the repository; use e.g. {DEFAULT_WORK}"
        )
    return resolved


def unpack(archives: tuple[Path, ...], work: Path) -> Path:
    """Unpack the news archives into ``work/raw`` once; return that folder."""
    raw = check_work_dir(work) / "raw"
    done = raw / ".unpacked"
    if done.exists():
        return raw
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    for archive in archives:
        if not archive.is_file():
            raise FileNotFoundError(
                f"news archive {str(archive)!r} is missing; see ../shared/data/README.md"
            )
        with tarfile.open(archive) as tar:
            tar.extractall(raw, filter="data")
    done.touch()
    return raw


def read_articles(raw: Path) -> list[Article]:
    """Every article below ``raw`` with its sentence count, in a fixed shuffled order."""
    articles: list[Article] = []
    for path in sorted(raw.rglob("*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace").strip()
        if not text:
            continue
        title = text.split("\n", 1)[0].strip()
        count = sum(1 for _ in sentence_bounds(text))
        source = path.relative_to(raw).parts[0]
        articles.append(
            Article(source=source, name=path.stem, title=title, text=text, sentences=count)
        )
    random.Random(SEED).shuffle(articles)
    return articles


def render(article: Article, copy: int) -> str:
    """The text of one copy: front matter naming the copy, then the article unchanged."""
    # The title keeps the file's own headline; quotes would be stripped by the front matter parser.
    title = article.title.replace("\n", " ")
    return f"---\ntitle: {title}\nsource: {article.source} (copy {copy})\n---\n{article.text}\n"


def generate(articles: list[Article], target: int, out: Path) -> tuple[int, int]:
    """Write copies of the articles into ``out`` until ``target`` sentences; (files, sentences)."""
    if not articles:
        raise ValueError("no articles to copy")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = sentences = 0
    copy = 0
    while sentences < target:
        copy += 1
        folder = out / f"copy{copy:03d}"
        folder.mkdir()
        for article in articles:
            if sentences >= target:
                break
            name = f"{article.source}-{article.name}-c{copy:03d}.txt"
            (folder / name).write_text(render(article, copy), encoding="utf-8")
            files += 1
            sentences += article.sentences
    # A marker with the counts lets the benchmark reuse a finished corpus.
    (out / ".generated").write_text(f"{files} {sentences} {target}\n", encoding="utf-8")
    return files, sentences


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
    articles = read_articles(unpack(archives, work))
    files, sentences = generate(articles, target, out)
    return out, files, sentences


def body_sentences(text: str) -> int:
    """How many sentences the index will find in a file's text (front matter excluded)."""
    return sum(1 for _ in sentence_bounds(text, parse_front_matter(text)[1]))


def main(argv: list[str] | None = None) -> int:
    """Generate the benchmark corpora: ``python -m bench.corpus --size 1m``."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="work folder (outside the repo)"
    )
    parser.add_argument(
        "--size", choices=sorted(SIZES), action="append", help="corpus size (repeatable)"
    )
    args = parser.parse_args(argv)
    for size in args.size or list(SIZES):
        folder, files, sentences = ensure_corpus(args.work, size)
        print(f"{size}: {files:,} files, {sentences:,} sentences in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
