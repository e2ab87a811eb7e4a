"""Fair use: the token bucket per client or address."""

import pytest

from bot.limits import MAX_KEYS, Buckets, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_rate():
    clock = Clock()
    buckets = Buckets(per_minute=6, burst=3, clock=clock)  # one every 10 s
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == 10.0
    clock.now += 4
    assert buckets.take("a") == pytest.approx(6.0)  # refusals are not counted
    clock.now += 6
    assert buckets.take("a") == 0.0 and buckets.take("a") > 0


def test_keys_are_counted_apart_and_refill_no_higher_than_the_burst():
    clock = Clock()
    buckets = Buckets(per_minute=60, burst=2, clock=clock)
    buckets.take("a"), buckets.take("a")
    assert buckets.take("a") > 0 and buckets.take("b") == 0.0
    clock.now += 3600
    assert [buckets.take("a") for _ in range(3)][-1] > 0


def test_no_limit_at_zero_a_minute():
    buckets = Buckets(per_minute=0, burst=1)
    assert all(buckets.take("a") == 0.0 for _ in range(1000))


def test_quiet_keys_are_forgotten_when_the_table_is_full():
    clock = Clock()
    buckets = Buckets(per_minute=60, burst=5, clock=clock)
    for n in range(MAX_KEYS):
        buckets.take(f"k{n}")
    buckets.take("busy"), buckets.take("busy")
    clock.now += 10  # every earlier key is full again
    buckets.take("new")
    assert len(buckets._levels) <= 3


def test_retry_after_is_whole_seconds_at_least_one():
    assert (retry_after(0.2), retry_after(6.0), retry_after(6.01)) == ("1", "6", "7")
