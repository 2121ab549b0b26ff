"""The one exception of news ingestion: a URL and the plain reason it could not be used."""

from __future__ import annotations


class NewsError(Exception):
    """A URL that was refused or failed; ``str()`` is one line naming the URL and the reason."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        # The HTTP status when the server answered with an error, else None.
        self.status = status
