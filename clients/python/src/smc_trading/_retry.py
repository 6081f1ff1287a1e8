"""The retry policy of HTTP requests (the same as the TypeScript SDK's)."""

from __future__ import annotations

import random as _random
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["RetryPolicy", "IDEMPOTENT_METHODS", "RETRY_STATUSES", "retry_after_seconds"]

#: Methods that are safe to repeat. A POST is retried only when it carries an idempotency key
#: (an order's ``client_order_id``, which the server deduplicates).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: Answers worth another attempt: rate limited, bad gateway, unavailable.
RETRY_STATUSES = frozenset({429, 502, 503})


@dataclass(frozen=True)
class RetryPolicy:
    """How the SDK retries: 429 (honouring ``Retry-After``), 502, 503, network errors and timeouts,
    with exponential backoff and full jitter, for idempotent requests only.

    Example::

        client = SMCClient(api_token=token, retry=RetryPolicy(max_retries=5, max_delay=10.0))
    """

    #: Retries after the first attempt (0 disables retries).
    max_retries: int = 3
    #: First backoff step in seconds; doubles each retry, with full jitter.
    base_delay: float = 0.2
    #: Cap of one backoff wait in seconds.
    max_delay: float = 5.0
    #: A ``Retry-After`` longer than this (seconds) is not waited for: the 429 is returned as an error.
    max_retry_after: float = 60.0
    #: Random source in [0, 1) for the jitter.
    random: Callable[[], float] = field(default=_random.random, compare=False)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry ``attempt`` (0-based) when the server named no delay."""
        return float(self.random()) * min(self.max_delay, self.base_delay * 2.0**attempt)


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds form), or None when absent or not a positive number."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds > 0 else None
