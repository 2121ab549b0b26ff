"""Fetching news articles and feeds into the corpus folder; knows nothing of Discord or chat."""
