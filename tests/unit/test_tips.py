import pytest

from bot import tips, worksheet


@pytest.mark.parametrize(
    "text, key",
    [
        ("how do I give feedback", "feedback"),
        ("I don't know how to set boundaries", "boundaries"),
        ("what if I still don't trust him after 5 sessions", "realistic_expectations"),
        ("does my childhood have anything to do with why i cant trust her", "explore_past"),
        ("i keep cancelling my sessions", "attend_regularly"),
        ("we never said what we are working towards", "clear_goals"),
        ("i finally told her something real this week", "celebrate_progress"),
        ("how do i prepare before my session", "prepare_sessions"),
        ("any tips?", None),
        ("how do I build trust with her", None),
    ],
)
def test_match_tip_by_meaning(text, key):
    assert tips.match_tip(text) == key


@pytest.mark.parametrize(
    "items, expected",
    [
        (["resistance_to_feedback"], ["feedback"]),
        (["difficulty_boundaries"], ["boundaries"]),
        (["inconsistent_attendance"], ["realistic_expectations", "attend_regularly"]),
        (["avoidance_vulnerable_topics", "reluctance_past_trauma"], ["explore_past", "patience"]),
        (["limited_disclosure", "dishonesty_concealment"], ["open_communication"]),
        (["minimal_engagement"], ["prepare_sessions"]),
        ([], []),
    ],
)
def test_tips_for_checklist(items, expected):
    assert tips.tips_for_checklist(items) == expected


def test_every_checklist_item_has_a_tip_and_every_tip_is_content():
    assert set(worksheet.TIPS_FOR_CHECKLIST) == set(worksheet.CHECKLIST_BY_KEY)
    assert len(worksheet.TIPS) == 10 and all(t.text for t in worksheet.TIPS)


@pytest.mark.parametrize(
    "trust, safety, prev_trust, prev_safety, expected",
    [
        (4, 8, None, None, "low"),  # at or below 4
        (8, 3, 8, 8, "low"),
        (7, 8, 9, 8, "low"),  # 2 points below the previous check-in
        (8, 8, 7, 8, "rise"),
        (7, 7, 7, 7, None),
        (8, 7, None, None, None),
        (None, None, 5, 5, None),
    ],
)
def test_after_checkin(trust, safety, prev_trust, prev_safety, expected):
    assert tips.after_checkin(trust, safety, prev_trust, prev_safety) == expected


def test_next_tip_goes_round():
    keys = [t.key for t in worksheet.TIPS]
    assert tips.next_tip([]) == keys[0]
    assert tips.next_tip(keys[:3]) == keys[3]
    assert tips.next_tip(keys) == keys[0]
