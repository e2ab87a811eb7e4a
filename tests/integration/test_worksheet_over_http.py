"""A client takes the whole worksheet, a check-in and the closing reflection
over HTTP against the real servers; the Rasa server restarts halfway."""

import sqlite3
import uuid

from bot import worksheet

Q = worksheet.QUESTIONS


def asks(reply: str, slot: str) -> bool:
    return Q[slot].text.split("?")[0] in reply


def test_whole_worksheet_checkin_and_closing(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    say = lambda text, **kw: servers.say(client, text, **kw)  # noqa: E731

    reply = say("hi")
    assert "automated" in reply and "not a therapist" in reply and "encrypted" in reply

    assert asks(say("let's do the trust worksheet"), "read_intro")
    reply = say("yes please")
    assert "cornerstone" in reply and "Check off any statements" in reply
    reply = say("1 and 4")
    assert "Noted: Limited Disclosure, Resistance to Feedback." in reply and asks(reply, "q1_trust_meaning")

    reply = say("honesty")  # one word: kept, and one gentle invitation
    assert "say a little more" in reply
    assert asks(say("Trust means knowing she will not use what I say against me"), "q2_past_trust")
    assert asks(say("My grandmother, because she listened and never judged me"), "q3_safety_meaning")

    servers.restart_rasa()  # the conversation continues at the same question
    assert asks(say("Safety means nobody raises their voice and I can leave if I need to"), "q4_safety_conditions")

    reply = say("pause")
    assert "Paused" in reply
    reply = say("continue")
    assert asks(reply, "q4_safety_conditions")
    # Days later: a new conversation session (slots and form gone from the tracker).
    say("/session_start")
    assert "part-way through the worksheet" in say("hello again")
    assert asks(say("continue"), "q4_safety_conditions")
    assert asks(say("skip"), "q5_communicate_needs")
    assert asks(say("I could write it down and read it to her at the start"), "q6_need_1")
    assert asks(say("patience with me"), "q6_need_2")
    assert asks(say("that's all"), "q7_hoped_actions")
    assert asks(say("Checking in with me when I go quiet instead of moving on"), "q8_feedback")
    reply = say("Honestly but gently, and I want to be able to say when something didn't help")
    assert "whole worksheet" in reply

    assert asks(say("I had a session today"), "session_date")
    assert "couldn't use that as the session date" in say("2099-01-01")
    assert asks(say("yesterday", message_id="date-1"), "session_topic")
    # The same message delivered twice is stored once and gets the same reply.
    first = say("we talked about my mother", message_id="topic-1")
    again = say("we talked about my mother", message_id="topic-1")
    assert asks(first, "trust_rating") and again == first
    assert "whole number from 1 to 10" in say("11")
    assert "whole number from 1 to 10" in say("a lot")
    assert asks(say("about seven"), "safety_rating")
    assert asks(say("8/10"), "therapist_could_do")
    assert asks(say("Slow down a bit when I get quiet"), "agenda_item")
    reply = say("I want to talk about the argument with my sister")
    assert "check-in is saved" in reply and "trust 7/10" in reply and "safety 8/10" in reply

    assert asks(say("closing reflection"), "closing_trust")
    assert asks(say("mostly yes"), "closing_safe")
    assert asks(say("yes I do"), "closing_why")
    assert asks(say("Because she listens and does not rush me"), "closing_surprise")
    assert asks(say("How much I hold back without noticing"), "closing_helpful")
    assert "Thank you for reflecting" in say("8")

    data = servers.export(client)
    assert data["checklist"]["items"] == ["Limited Disclosure", "Resistance to Feedback"]
    answers = data["worksheet_answers"]
    assert answers["q1_trust_meaning"]["value"] == "Trust means knowing she will not use what I say against me"
    assert [h["value"] for h in answers["q1_trust_meaning"]["history"]] == ["honesty"]
    assert answers["q4_safety_conditions"]["status"] == "skipped"
    assert answers["q6_need_1"]["value"] == "patience with me"
    assert len(data["checkins"]) == 1
    checkin = data["checkins"][0]
    assert checkin["session_topic"]["value"] == "we talked about my mother"
    assert checkin["session_topic"]["history"] == []  # delivered twice, stored once
    assert (checkin["trust_rating"]["value"], checkin["safety_rating"]["value"]) == (7, 8)
    assert data["agenda_items"][0]["text"] == "I want to talk about the argument with my sister"
    assert data["closing_reflection"]["closing_helpful"]["value"] == 8
    assert all(a["at"] for a in answers.values())

    raw = sqlite3.connect(servers.workdir / "data" / "reflections.db").execute("select value from answers").fetchall()
    assert raw and not any("grandmother" in (row[0] or "") for row in raw)


def test_bad_requests_get_a_clear_answer_and_change_nothing(servers):
    status, body = servers.post({"sender": "client-x", "message": ""})
    assert status == 400 and "empty" in body["error"]
    status, body = servers.post({"message": "hi"})
    assert status == 400 and "sender" in body["error"]
    status, body = servers.post({"sender": "client-x", "message": "x" * 6000})
    assert status == 400 and "too long" in body["error"]
    assert servers.export("client-x")["worksheet_answers"] == {}


def test_show_and_change_an_earlier_answer_mid_worksheet(servers):
    client = f"client-{uuid.uuid4().hex[:8]}"
    say = lambda text: servers.say(client, text)  # noqa: E731
    for text in (
        "start the worksheet",
        "no",
        "none",
        "Trust means honesty both ways",
        "My aunt, she never broke a promise",
    ):
        say(text)
    assert asks(say("Safety means calm voices"), "q4_safety_conditions")
    shown = say("show my answers")
    assert "What safety means to me: Safety means calm voices" in shown and asks(shown, "q4_safety_conditions")
    assert asks(say("change my answer to question 3"), "q3_safety_meaning")
    assert asks(say("Safety means nobody rushes me and I can say no"), "q4_safety_conditions")
    q3 = servers.export(client)["worksheet_answers"]["q3_safety_meaning"]
    assert q3["value"] == "Safety means nobody rushes me and I can say no"
    assert [h["value"] for h in q3["history"]] == ["Safety means calm voices"]
    status, replies = servers.post({"sender": client, "message": "I want to change an answer"})
    assert status == 200 and '/change_answer{"change_target":"q3_safety_meaning"}' in str(replies)
