"""The per-user question limit, one budget shared by /ask, mentions and DMs.

Built on discord.py's own cooldown mapping: a bucket per user of ``burst`` questions per
``window`` seconds (QABOT_DISCORD_COOLDOWN_BURST per QABOT_DISCORD_COOLDOWN_SECONDS), dropped
by discord.py once idle for a window, so memory follows active users only.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from discord import app_commands
from discord.ext import commands

from retrieval.models import Frozen


class CooldownVerdict(Frozen):
    """Whether a user may ask now; if not, when, and whether to tell them."""

    allowed: bool
    retry_after: float = 0.0
    warn: bool = False


class QuestionBucket(app_commands.Cooldown):
    """discord.py's token bucket, plus when its user was last told to slow down."""

    __slots__ = ("warned_until",)

    def __init__(self, rate: float, per: float) -> None:
        super().__init__(rate, per)
        self.warned_until = 0.0


class QuestionCooldown:
    """At most ``burst`` questions per user within ``window`` seconds; 0 s turns it off."""

    def __init__(
        self, burst: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.window = window
        self._clock = clock
        self._buckets: commands.DynamicCooldownMapping[int] = commands.DynamicCooldownMapping(
            self._bucket, lambda user_id: user_id
        )

    def _bucket(self, user_id: int) -> QuestionBucket | None:
        del user_id
        return QuestionBucket(self.burst, self.window) if self.window > 0 else None

    def check(self, user_id: int) -> CooldownVerdict:
        """Count one question by ``user_id`` if allowed; warn only once per blocked spell."""
        now = self._clock()
        bucket = self._buckets.get_bucket(user_id, now)
        if not isinstance(bucket, QuestionBucket):
            return CooldownVerdict(allowed=True)
        retry_after = bucket.update_rate_limit(now)
        if retry_after is None:
            return CooldownVerdict(allowed=True)
        # One "slow down" per spell, so the warning itself cannot become spam.
        warn = bucket.warned_until <= now
        if warn:
            bucket.warned_until = now + retry_after
        return CooldownVerdict(allowed=False, retry_after=retry_after, warn=warn)

    def limit(self) -> app_commands.Cooldown:
        """The limit as discord.py describes it (for ``CommandOnCooldown``)."""
        return app_commands.Cooldown(self.burst, self.window)


def slow_down_text(retry_after: float) -> str:
    """What a user over the limit is told."""
    return f"Slow down a little: you can ask again in {max(1, round(retry_after))} s."
