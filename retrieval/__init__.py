"""Text -> documents -> sentences -> tokens -> BM25 index -> hits. Knows nothing of chat."""
