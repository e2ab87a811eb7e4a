from datetime import date

import pytest

from bot import validators, worksheet

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7", 7),
        ("seven", 7),
        ("7/10", 7),
        ("about 7", 7),
        ("a 7 i guess", 7),
        ("10", 10),
        ("1", 1),
        ("Ten", 10),
        ("7 out of 10", 7),
        ("maybe 4", 4),
        ("11", None),
        ("0", None),
        ("a lot", None),
        ("", None),
        (None, None),
        ("7.5", None),
        ("between 6 and 8", None),
        ("-3", None),
        ("- 2", None),
        ("3-4", None),
        ("2. sorry, it was a rough one", 2),
        ("that one was a 5", 5),
        ("6 or 7", None),
        ("7, maybe 8", None),
        ("between 6 and 7 but if I have to pick one then 7", 7),
        ("one", 1),
    ],
)
def test_parse_rating(text, expected):
    assert validators.parse_rating(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", date(2026, 11, 23)),
        ("Yesterday", date(2026, 11, 22)),
        ("monday", date(2026, 11, 23)),
        ("last monday", date(2026, 11, 16)),
        ("on friday", date(2026, 11, 20)),
        ("tues", date(2026, 11, 17)),
        ("2026-03-14", date(2026, 3, 14)),
        ("14/03/2026", date(2026, 3, 14)),
        ("14 March 2026", date(2026, 3, 14)),
        ("March 14, 2026", date(2026, 3, 14)),
        ("3 days ago", date(2026, 11, 20)),
        ("2026-02-30", None),  # not a real date
        ("2027-01-01", None),  # in the future
        ("next week", None),
        ("", None),
        # as people write them (month first, the default)
        ("yday", date(2026, 11, 22)),
        ("the day before yesterday", date(2026, 11, 21)),
        ("a week ago", date(2026, 11, 16)),
        ("two days ago", date(2026, 11, 21)),
        ("11/20", date(2026, 11, 20)),
        ("20/11", date(2026, 11, 20)),  # a first number above 12 is a day
        ("12/25", None),  # no year, a month ahead: the future, asked again
        ("2/25", date(2026, 2, 25)),  # no year: the most recent one
        ("this coming friday", None),
        ("dec 20th", None),
        ("20 nov", date(2026, 11, 20)),
        ("nov 3rd", date(2026, 11, 3)),
        ("it was on 5 of march", date(2026, 3, 5)),
        ("tomorrow", None),
        ("the 32nd", None),
        ("a while ago", None),
    ],
)
def test_parse_date(text, expected):
    assert validators.parse_date(text, TODAY) == expected


def test_day_first_dates_for_practices_outside_the_us():
    assert validators.parse_date("3/11", TODAY, day_first=True) == date(2026, 11, 3)
    assert validators.parse_date("3/11", TODAY) == date(2026, 3, 11)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 and 4", ["limited_disclosure", "resistance_to_feedback"]),
        ("2, 3, 7", ["avoidance_vulnerable_topics", "minimal_engagement", "difficulty_boundaries"]),
        ("none", []),
        ("None of these", []),
        ("the one about boundaries", ["difficulty_boundaries"]),
        ("the first and the last", ["limited_disclosure", "inconsistent_attendance"]),
        (
            "all but 3",
            [
                "limited_disclosure",
                "avoidance_vulnerable_topics",
                "resistance_to_feedback",
                "reluctance_past_trauma",
                "dishonesty_concealment",
                "difficulty_boundaries",
                "inconsistent_attendance",
            ],
        ),
        ("none of them tbh", []),
        ("limited disclosure and avoidance", ["limited_disclosure", "avoidance_vulnerable_topics"]),
        ("number 5", ["reluctance_past_trauma"]),
        ("all of them", [item for item in validators.worksheet.CHECKLIST_BY_KEY]),
        ("9", None),
        ("hmm", None),
    ],
)
def test_parse_checklist(text, expected):
    assert validators.parse_checklist(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("honesty", True),
        ("", True),
        ("  ok ", True),
        ("being listened to", False),
    ],
)
def test_is_brief(text, expected):
    assert validators.is_brief(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("change my answer to question 3", "q3_safety_meaning"),
        ("I want to edit q6", "q6_need_1"),
        ("fix my trust rating", "trust_rating"),
        ("update the checklist", "holding_back"),
        ("change something", None),
    ],
)
def test_find_question(text, expected):
    assert validators.find_question(text) == expected


@pytest.mark.parametrize("text, value", [("minus two", None), ("sevenish", 7), ("6ish?", 6)])
def test_ratings_below_the_scale_and_approximate(text, value):
    assert validators.parse_rating(text) == value


def test_a_fortnight_ago_and_just_out_of_the_session():
    today = date(2026, 12, 3)
    assert validators.parse_date("about a fortnight ago", today) == date(2026, 11, 19)
    assert validators.parse_date("just came out of it", today) == today


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("just the final one", [8]),
        ("that one, the second", [2]),
        ("the first four", [1, 2, 3, 4]),
        ("bottom 2 honestly", [7, 8]),
        ("um none of these apply", []),
        ("honestly nothing", []),
        ("pretty much all of them", list(range(1, 9))),
        ("i'm so sick of all this", None),
        ("I don't tell her everything and I avoid the painful topics", [2]),
    ],
)
def test_checklist_pointing_words_runs_and_every_item_said_as_such(text, numbers):
    got = validators.parse_checklist(text)
    keys = [item.key for item in worksheet.CHECKLIST]
    assert (None if got is None else [keys.index(k) + 1 for k in got]) == numbers


@pytest.mark.parametrize("text", ["hold on one second", "two mins, kettle", "can I ask one question first"])
def test_a_while_or_a_thing_is_not_a_rating(text):
    assert validators.parse_rating(text) is None
