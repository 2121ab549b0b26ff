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

    def __init__(self, text: str | None = None, *, deny_all: bool = False) -> None:
        self.deny_all = deny_all
        self._parser: RobotFileParser | None = None
        if text is not None:
            self._parser = RobotFileParser()
            self._parser.parse(text.splitlines())

    def allows(self, url: str) -> bool:
        """True when qabot may fetch ``url``."""
        if self.deny_all:
            return False
        return self._parser is None or self._parser.can_fetch(ROBOTS_AGENT, url)
