"""The two engines give the same scores and ranking (a differential test on random corpora)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.engines import Bm25sEngine, RankBm25Engine, build_engine
from retrieval.index import top_k

CORPUS = st.lists(st.lists(st.integers(0, 11), max_size=12), min_size=1, max_size=40)
QUERY = st.lists(st.integers(0, 11), min_size=1, max_size=4, unique=True)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(CORPUS, QUERY, st.sampled_from([(0.7, 0.4), (1.2, 0.75), (1.5, 0.0), (0.5, 1.0)]))
def test_engines_agree(
    corpus: list[list[int]], query: list[int], params: tuple[float, float]
) -> None:
    k1, b = params
    a = Bm25sEngine.build(corpus, 12, k1, b).scores(query)
    r = RankBm25Engine.build(corpus, 12, k1, b).scores(query)
    np.testing.assert_allclose(a, r, rtol=1e-5, atol=1e-6)
    # Same ranking wherever scores are not (numerically) tied.
    ra, rr = top_k(a, 10), top_k(r, 10)
    for x, y in zip(ra, rr, strict=True):
        assert x == y or math.isclose(a[x], a[y], rel_tol=1e-5)


def test_idf_is_positive_for_a_term_in_half_the_sentences() -> None:
    # rank-bm25's Okapi IDF gives 0 for a term in exactly half the documents; Lucene's does not.
    corpus = [[0, 1], [0, 2], [3], [4]]
    for name in ("bm25s", "rank-bm25"):
        scores = build_engine(name, corpus, 5, 1.2, 0.75).scores([0])
        assert scores[0] > 0 and scores[1] > 0, name
        assert scores[2] == 0 and scores[3] == 0, name


def test_term_in_every_sentence_still_scores() -> None:
    corpus = [[0], [0, 1], [0, 2]]
    scores = build_engine("bm25s", corpus, 3, 1.2, 0.75).scores([0])
    assert (scores > 0).all()


@pytest.mark.parametrize("name", ["bm25s", "rank-bm25"])
def test_empty_query_and_empty_vocabulary(name: str) -> None:
    engine = build_engine(name, [[], []], 0, 1.2, 0.75)  # type: ignore[arg-type]
    assert engine.scores([]).tolist() == [0.0, 0.0]
