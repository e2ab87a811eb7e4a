"""Tips, offered where they fit, and drafting what to tell the therapist,
over HTTP against the real servers."""

import uuid

from bot import worksheet


def new_client():
    return f"client-{uuid.uuid4().hex[:8]}"


def test_tips_asked_for_and_offered_after_the_checklist(servers):
    client = new_client()
    say = lambda text: servers.say(client, text)  # noqa: E731
    assert "Offer feedback" in say("how do I give feedback to my therapist")
    reply = say("another tip please")
    assert reply and "Offer feedback" not in reply
    say("start the worksheet")
    reply = say("no")
    reply = say("4 and 7")  # Resistance to Feedback, Difficulty Establishing Boundaries
    assert "Offer feedback" in reply and "Establish boundaries" in reply
    assert worksheet.QUESTIONS["q1_trust_meaning"].text[:20] in reply


def test_low_rating_offers_a_draft_which_is_edited_and_kept_for_next_session(servers):
    client = new_client()
    say = lambda text: servers.say(client, text)  # noqa: E731
    say("I had a session today")
    for answer in ("today", "my sister", "3", "6", "listen more", "nothing"):
        reply = say(answer)
    assert "check-in is saved" in reply and "Would you like to draft" in reply
    assert "what happened" in say("/start_draft")
    say("you checked your phone while I was talking")
    say("ignored")
    reply = say("I would like you to put it away")
    assert "You checked your phone while I was talking. I felt ignored. I'd like you to put it away." in reply
    edited = "When you checked your phone I felt ignored; could we keep phones away in sessions?"
    assert "Saved for your next session" in say(edited)
    agenda = servers.export(client)["agenda_items"]
    assert [item["text"] for item in agenda if item["source"] == "draft"] == [edited]


def test_rupture_is_validated_and_offers_repair(servers):
    client = new_client()
    reply = servers.say(client, "I felt judged by her last session")
    assert "tends to build trust" in reply


def test_escalation_while_drafting(servers):
    client = new_client()
    servers.say(client, "/start_draft")
    reply = servers.say(client, "i want to kill myself")
    assert "not monitored live" in reply
    assert servers.export(client)["drafts"] == []
