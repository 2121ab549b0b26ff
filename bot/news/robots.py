"""robots.txt rules, as the standard library reads them, for one user agent."""

from __future__ import annotations

from urllib.robotparser import RobotFileParser

import yarl

ROBOTS_AGENT = "qabot"


def robots_url(url: yarl.URL) -> str:
    """Where the rules for ``url``'s site live."""
    return str(url.with_path("/robots.txt").with_query(None).with_fragment(None))


class RobotsRules:
    """The rules of one site: parsed text, or allow-all / deny-all when there is none."""

    def __init__(self, text: str | None = None, *, unreadable: str | None = None) -> None:
        # Why the rules could not be read (a 5xx, a timeout): RFC 9309 says fetch nothing then.
        self.unreadable = unreadable
        self.deny_all = unreadable is not None
        self._parser: RobotFileParser | None = None
        if text is not None:
            self._parser = RobotFileParser()
            self._parser.parse(text.splitlines())

    def allows(self, url: str) -> bool:
        """True when qabot may fetch ``url``."""
        if self.deny_all:
            return False
        return self._parser is None or self._parser.can_fetch(ROBOTS_AGENT, url)

    def refusal(self, host: str) -> str:
        """Why a URL on ``host`` is refused."""
        if self.unreadable is not None:
            return f"refused: robots.txt of {host} could not be read ({self.unreadable})"
        return f"refused: robots.txt of {host} disallows it"
