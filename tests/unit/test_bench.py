"""The load benchmark's own arithmetic: percentiles, answers read back
(lost and doubled) and the profile's shares."""

import json

import pytest

from bench.clients import checkin, percentile
from bench.profile import shares
from bench.readback import check


@pytest.mark.parametrize(
    "seconds, q, expected",
    [
        ([0.1, 0.2, 0.3, 0.4], 0.5, 200),
        ([0.1, 0.2, 0.3, 0.4], 0.95, 400),
        ([0.05], 0.95, 50),
        ([0.3, 0.1, 0.2], 0.5, 200),
    ],
)
def test_percentile_is_the_nearest_rank_in_milliseconds(seconds, q, expected):
    assert percentile(seconds, q) == pytest.approx(expected)


def stored(expected, **changes):
    fields = {slot: {"status": "answered", "value": value, "history": []} for slot, value in expected.items()}
    fields.update(changes)
    return {"checkins": [{"id": "run1", **fields}]}


EXPECTED = {slot: value for _, slot, value in checkin(7) if slot}


def test_every_answer_stored_once_is_neither_lost_nor_doubled():
    assert check(stored(EXPECTED), EXPECTED) == {"lost": 0, "doubled": 0}


def test_a_missing_or_different_answer_is_lost():
    export = stored(EXPECTED, trust_rating={"status": "answered", "value": 3, "history": []})
    del export["checkins"][0]["agenda_item"]
    assert check(export, EXPECTED) == {"lost": 2, "doubled": 0}
    assert check({"checkins": []}, EXPECTED) == {"lost": len(EXPECTED), "doubled": 0}


def test_an_answer_stored_twice_or_a_second_checkin_is_doubled():
    topic = EXPECTED["session_topic"]
    export = stored(EXPECTED, session_topic={"status": "answered", "value": topic, "history": [{"value": topic}]})
    export["checkins"].append({"id": "run2"})
    assert check(export, EXPECTED) == {"lost": 0, "doubled": 2}


def test_the_checkin_values_differ_between_clients():
    assert EXPECTED != {slot: value for _, slot, value in checkin(8) if slot}
    assert all(isinstance(EXPECTED[s], int) and 1 <= EXPECTED[s] <= 10 for s in ("trust_rating", "safety_rating"))


def test_profile_shares_count_own_and_total_time(tmp_path):
    frames = [
        {"name": "main", "file": "/x/lib/python3.10/site-packages/rasa/run.py", "line": 1},
        {"name": "validate", "file": "/x/lib/python3.10/site-packages/jsonschema/validators.py", "line": 2},
        {"name": "load", "file": "/work/wt/bot/store/tracker.py", "line": 3},
    ]
    profile = {"samples": [[0, 1], [0, 1], [0, 2], [0]], "weights": [0.01] * 4, "name": "MainThread"}
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"shared": {"frames": frames}, "profiles": [profile]}))
    by, busy, threads = shares(path)
    assert busy == pytest.approx(0.04) and threads == [("MainThread", pytest.approx(0.04))]
    assert dict(by["package"]) == {"jsonschema": 0.5, "bot": 0.25, "rasa": 0.25}
    assert dict(by["total"])["main (rasa/run.py:1)"] == 1.0
    assert dict(by["self"])["validate (jsonschema/validators.py:2)"] == 0.5
