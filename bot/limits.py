"""Fair use: how many messages one client, or one address, may send.

A token bucket per key, in this process: `burst` messages at once, then
`per_minute` a minute. A key that is over gets the seconds to wait. With
several replicas each keeps its own count (a client's messages are spread
over them by the load balancer, so a client may send up to N times the rate);
limits across replicas belong in the proxy in front (nginx `limit_req`).
"""

from __future__ import annotations

import math
import time
from typing import Callable, Dict, Tuple

# Buckets kept before the full ones (clients who went quiet) are forgotten.
MAX_KEYS = 50_000


class Buckets:
    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = max(per_minute, 0) / 60.0  # messages a second; 0 means no limit
        self.burst = max(burst, 1)
        self.clock = clock
        self._levels: Dict[str, Tuple[float, float]] = {}  # key -> (messages left, when counted)

    def _level(self, key: str, now: float) -> float:
        left, then = self._levels.get(key, (float(self.burst), now))
        return min(float(self.burst), left + (now - then) * self.rate)

    def take(self, key: str) -> float:
        """0 when the key may send one more message now (and it is counted),
        else the seconds until it may."""
        if not self.rate:
            return 0.0
        now = self.clock()
        left = self._level(key, now)
        if left < 1:
            return (1 - left) / self.rate
        if len(self._levels) >= MAX_KEYS:
            self._levels = {k: v for k, v in self._levels.items() if self._level(k, now) < self.burst}
        self._levels[key] = (left - 1, now)
        return 0.0


def retry_after(seconds: float) -> str:
    """A Retry-After header's whole seconds, at least one."""
    return str(max(1, math.ceil(seconds)))
