"""The remote's secrets and its limit on strangers, without a server."""

from __future__ import annotations

from retrowalk.remote.guard import FailureLimiter, Keys, host_names, origins, same_secret
from support import FakeClock


def test_secrets_are_long_random_and_different_every_time() -> None:
    first, second = Keys.fresh(), Keys.fresh()
    assert len({first.token, first.cookie, second.token, second.cookie}) == 4
    assert len(first.token) >= 32


def test_a_secret_is_the_same_only_when_it_is_equal() -> None:
    assert same_secret("abc", "abc")
    assert not same_secret("abd", "abc")
    assert not same_secret(None, "abc")
    assert not same_secret("ab\udcff", "abc")  # not even a valid string does harm


def test_hosts_and_origins_are_the_bound_pairs_only() -> None:
    bound = [("192.168.1.5", 8725)]
    assert host_names(bound) == {"192.168.1.5:8725"}
    assert origins(bound) == {"http://192.168.1.5:8725"}
    assert host_names([("fd00::5", 8725)]) == {"[fd00::5]:8725"}


def test_the_tenth_failure_within_a_minute_blocks_the_address_for_a_minute() -> None:
    clock = FakeClock()
    limiter = FailureLimiter(clock)
    for _ in range(9):
        limiter.failed("10.0.0.9")
        clock.advance(6.0)
    assert not limiter.blocked("10.0.0.9")
    limiter.failed("10.0.0.9")
    assert limiter.blocked("10.0.0.9")
    assert not limiter.blocked("10.0.0.10")
    clock.advance(60.0)
    assert not limiter.blocked("10.0.0.9")


def test_the_limiter_forgets_the_oldest_addresses_so_a_flood_cannot_fill_memory() -> None:
    limiter = FailureLimiter(FakeClock(), tracked=100)
    for number in range(1000):
        limiter.failed(f"10.0.{number // 256}.{number % 256}")
    assert len(limiter._failures) == 100
