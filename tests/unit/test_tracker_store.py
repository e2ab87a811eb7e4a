"""The encrypted tracker store: events round-trip, nothing readable on disk,
an erased conversation is gone."""

import asyncio
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import get_settings
from bot.store.tracker import ERASED_SLOT, EncryptedSQLTrackerStore

SECRET_WORDS = "my grandmother's blue teapot 7731"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLECTION_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REFLECTION_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.delenv("ANSWER_ENCRYPTION_KEYS", raising=False)
    get_settings.cache_clear()
    domain = Domain.from_yaml(
        f"version: '3.1'\nslots:\n  {ERASED_SLOT}:\n    type: bool\n    influence_conversation: false\n    mappings:\n    - type: custom\n"
    )
    yield EncryptedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db")), tmp_path
    get_settings.cache_clear()


def run(coroutine):
    return asyncio.run(coroutine)


def conversation(sender):
    tracker = DialogueStateTracker(sender, [])
    for event in (
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(SECRET_WORDS, {"name": "inform", "confidence": 1.0}),
        BotUttered("Thank you, I kept: " + SECRET_WORDS),
    ):
        tracker.update(event)
    return tracker


def test_events_round_trip_and_no_text_is_on_disk(store):
    tracker_store, folder = store
    run(tracker_store.save(conversation("client-1")))
    again = run(tracker_store.retrieve("client-1"))
    assert again.latest_message.text == SECRET_WORDS
    assert [e.text for e in again.events if isinstance(e, BotUttered)] == ["Thank you, I kept: " + SECRET_WORDS]
    with sqlite3.connect(folder / "tracker.db") as db:
        rows = db.execute("SELECT type_name, intent_name, data FROM events").fetchall()
    assert ("user", "inform") in [(t, i) for t, i, _ in rows]
    for path in folder.iterdir():
        assert b"teapot" not in path.read_bytes(), path


def test_plain_rows_written_before_encryption_are_still_read(store):
    tracker_store, folder = store
    run(tracker_store.save(conversation("client-2")))
    with sqlite3.connect(folder / "tracker.db") as db:
        db.execute(
            "UPDATE events SET data = ? WHERE type_name = 'user'",
            (
                '{"event": "user", "text": "older plain row", "timestamp": 1, "parse_data": {"intent": {"name": "inform"}}}',
            ),
        )
    assert run(tracker_store.retrieve("client-2")).latest_message.text == "older plain row"


def test_an_erased_conversation_is_gone_and_others_stay(store):
    tracker_store, _ = store
    run(tracker_store.save(conversation("client-3")))
    run(tracker_store.save(conversation("client-4")))
    tracker = run(tracker_store.retrieve("client-3"))
    tracker.update(ActionExecuted("action_delete_my_data"))
    tracker.update(SlotSet(ERASED_SLOT, True))
    run(tracker_store.save(tracker))
    assert run(tracker_store.retrieve("client-3")) is None
    assert run(tracker_store.retrieve_full_tracker("client-3")) is None
    assert run(tracker_store.retrieve("client-4")).latest_message.text == SECRET_WORDS


def test_key_rotation_re_encrypts_answers_and_events(store, monkeypatch):
    from cryptography.fernet import Fernet, InvalidToken

    from bot import service
    from bot.store import rotation

    tracker_store, folder = store
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", old)
    get_settings.cache_clear()
    service.save_answer("client-5", "worksheet", "main", "q1_trust_meaning", SECRET_WORDS, "m1")
    run(tracker_store.save(conversation("client-5")))

    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", f"{new},{old}")
    get_settings.cache_clear()
    counts = rotation.rotate(tracker_db_url=f"sqlite:///{folder / 'tracker.db'}")
    assert counts["answers"] == 1 and counts["events"] == 5

    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", new)  # the old key is gone
    get_settings.cache_clear()
    assert service.export("client-5")["worksheet_answers"]["q1_trust_meaning"]["value"] == SECRET_WORDS
    assert run(tracker_store.retrieve("client-5")).latest_message.text == SECRET_WORDS
    with sqlite3.connect(folder / "tracker.db") as db:
        sealed = db.execute("SELECT data FROM events WHERE type_name = 'user'").fetchone()[0]
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(sealed.encode())


def turn(tracker, text, message_id, *replies):
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}, message_id=message_id))
    for reply in replies:
        tracker.update(BotUttered(reply, {"buttons": [{"title": "Yes", "payload": "/affirm"}]}))
    tracker.update(ActionExecuted("action_listen"))


def test_a_retried_message_is_found_by_its_id_with_the_replies_it_got(store):
    tracker_store, folder = store
    tracker = conversation("client-6")
    turn(tracker, "first answer", "m-1", "Thanks, saved.", "Next question?")
    turn(tracker, "second answer", "m-2", "Saved too.")
    run(tracker_store.save(tracker))
    first = tracker_store.replies_to("client-6", "m-1")
    assert [r["text"] for r in first] == ["Thanks, saved.", "Next question?"]
    assert first[0]["recipient_id"] == "client-6" and first[0]["buttons"][0]["payload"] == "/affirm"
    assert [r["text"] for r in tracker_store.replies_to("client-6", "m-2")] == ["Saved too."]
    assert tracker_store.replies_to("client-6", "m-3") is None  # never taken in
    assert tracker_store.replies_to("client-7", "m-1") is None  # another client's id space
    with sqlite3.connect(folder / "tracker.db") as db:
        digests = [d for (d,) in db.execute("SELECT digest FROM delivered_messages")]
    assert len(digests) == 2 and "m-1" not in digests  # the id is kept as a digest


def test_an_id_used_again_keeps_pointing_at_its_first_message(store):
    tracker_store, _ = store
    tracker = conversation("client-8")
    turn(tracker, "an answer", "m-1", "First reply.")
    run(tracker_store.save(tracker))
    tracker = run(tracker_store.retrieve("client-8"))
    turn(tracker, "another", "m-1", "Second reply.")
    run(tracker_store.save(tracker))
    assert [r["text"] for r in tracker_store.replies_to("client-8", "m-1")] == ["First reply."]


def test_erasing_a_conversation_removes_its_message_index(store):
    tracker_store, folder = store
    tracker = conversation("client-9")
    turn(tracker, "an answer", "m-1", "Saved.")
    run(tracker_store.save(tracker))
    tracker = run(tracker_store.retrieve("client-9"))
    tracker.update(SlotSet(ERASED_SLOT, True))
    run(tracker_store.save(tracker))
    assert tracker_store.replies_to("client-9", "m-1") is None
    with sqlite3.connect(folder / "tracker.db") as db:
        assert db.execute("SELECT count(*) FROM delivered_messages").fetchone()[0] == 0
