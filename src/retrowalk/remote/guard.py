"""The remote's locks: the secret in the link, the cookie it becomes, which Host and Origin
may speak to it, and how often a stranger may knock.

Everything a request carries is checked in constant time where a secret is involved; a failed
attempt is counted per address, and an address that fails too often is turned away for a
while. A phone holding the valid cookie is never limited.
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

TOKEN_BYTES = 24
"""192 bits from `secrets`: the link's token, and separately the cookie's value."""
COOKIE_NAME = "retrowalk_remote"

FAILURES_ALLOWED = 10
FAILURE_WINDOW_S = 60.0
BLOCK_S = 60.0
TRACKED_ADDRESSES = 4096
"""The limiter forgets the oldest addresses beyond this, so a flood cannot fill memory."""


def new_secret() -> str:
    """A fresh URL-safe secret of TOKEN_BYTES random bytes."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def same_secret(given: str | None, expected: str) -> bool:
    """Whether `given` is `expected`, compared in constant time (none is never the same)."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode())


@dataclass(frozen=True, slots=True)
class Keys:
    """The secrets of one switching-on of the remote: the link's token and the cookie."""

    token: str
    cookie: str

    @classmethod
    def fresh(cls) -> Keys:
        return cls(new_secret(), new_secret())


def host_names(bound: Iterable[tuple[str, int]]) -> frozenset[str]:
    """The Host header values a request may carry: each bound address:port."""
    return frozenset(_authority(address, port) for address, port in bound)


def origins(bound: Iterable[tuple[str, int]]) -> frozenset[str]:
    """The Origin header values a request may carry: the page's own, per bound pair."""
    return frozenset(f"http://{_authority(address, port)}" for address, port in bound)


def _authority(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


class FailureLimiter:
    """Failed attempts per address: after FAILURES_ALLOWED within FAILURE_WINDOW_S, the
    address is blocked for BLOCK_S. Time comes from the injected monotonic clock."""

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        allowed: int = FAILURES_ALLOWED,
        window_s: float = FAILURE_WINDOW_S,
        block_s: float = BLOCK_S,
        tracked: int = TRACKED_ADDRESSES,
    ) -> None:
        self._clock = clock
        self._allowed = allowed
        self._window_s = window_s
        self._block_s = block_s
        self._tracked = tracked
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._blocked_until: dict[str, float] = {}

    def blocked(self, address: str) -> bool:
        until = self._blocked_until.get(address)
        if until is None:
            return False
        if self._clock() < until:
            return True
        del self._blocked_until[address]
        return False

    def failed(self, address: str) -> None:
        now = self._clock()
        recent = [at for at in self._failures.pop(address, []) if now - at < self._window_s]
        recent.append(now)
        if len(recent) >= self._allowed:
            self._blocked_until[address] = now + self._block_s
            recent = []
        self._failures[address] = recent
        while len(self._failures) > self._tracked:
            self._failures.popitem(last=False)
        if len(self._blocked_until) > self._tracked:
            self._blocked_until = {
                where: until for where, until in self._blocked_until.items() if until > now
            }

    def forget(self) -> None:
        self._failures.clear()
        self._blocked_until.clear()
