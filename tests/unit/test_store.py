import sqlite3

import pytest

from bot import service
from bot.settings import get_settings
from bot.store import repository as repo
from bot.store.db import unit_of_work


def test_answer_is_stored_encrypted_and_exported(data_dir):
    assert service.save_answer("c1", "worksheet", "main", "q1_trust_meaning", "a secret about trust", "m1")
    raw = sqlite3.connect(data_dir / "reflections.db").execute("select value from answers").fetchall()
    assert raw and all("secret" not in row[0] for row in raw)
    export = service.export("c1")
    assert export["worksheet_answers"]["q1_trust_meaning"]["value"] == "a secret about trust"
    assert export["worksheet_answers"]["q1_trust_meaning"]["at"].endswith("Z")


def test_a_message_delivered_twice_stores_once(data_dir):
    assert service.save_answer("c1", "worksheet", "main", "q2_past_trust", "my aunt", "m7") is True
    assert service.save_answer("c1", "worksheet", "main", "q2_past_trust", "my aunt", "m7") is False
    with unit_of_work() as session:
        rows = repo._rows(session, "c1")
    assert len(rows) == 1


def test_a_changed_answer_keeps_its_history(data_dir):
    service.save_answer("c1", "checkin", "r1", "trust_rating", 4, "m1")
    service.save_answer("c1", "checkin", "r1", "trust_rating", 6, "m2")
    checkin = service.export("c1")["checkins"][0]
    assert checkin["trust_rating"]["value"] == 6
    assert [h["value"] for h in checkin["trust_rating"]["history"]] == [4]


def test_clients_are_separate(data_dir):
    service.save_answer("c1", "worksheet", "main", "q1_trust_meaning", "mine", "m1")
    assert service.export("c2")["worksheet_answers"] == {}


def test_open_flow_resumes_at_the_first_unanswered_question(data_dir):
    service.save_answer("c1", "worksheet", "main", "read_intro", "no", "m1")
    service.save_answer("c1", "worksheet", "main", "holding_back", [], "m2")
    service.save_answer("c1", "worksheet", "main", "q1_trust_meaning", None, "m3", status=repo.SKIPPED)
    state = service.open_flow("c1", "worksheet")
    assert state.next_slot == "q2_past_trust"
    assert state.slots["q1_trust_meaning"] == "skipped"
    assert service.position("c1") == ("worksheet", "main")


def test_a_half_done_checkin_is_continued_and_a_finished_one_is_not(data_dir):
    first = service.open_flow("c1", "checkin")
    service.save_answer("c1", "checkin", first.run, "session_date", "2026-11-20", "m1")
    assert service.open_flow("c1", "checkin").run == first.run
    service.finish_flow("c1")
    assert service.open_flow("c1", "checkin").run != first.run


def test_rotated_key_still_reads_old_answers(data_dir, monkeypatch):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", old)
    get_settings.cache_clear()
    service.save_answer("c1", "worksheet", "main", "q1_trust_meaning", "before rotation", "m1")
    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", f"{new},{old}")
    get_settings.cache_clear()
    assert service.export("c1")["worksheet_answers"]["q1_trust_meaning"]["value"] == "before rotation"


def test_the_key_file_is_read_once_and_again_when_replaced(data_dir, monkeypatch):
    from cryptography.fernet import Fernet, InvalidToken

    from bot.store import crypto

    settings = get_settings()
    token = crypto.encrypt(settings, "kept words")  # makes the key file
    assert crypto.decrypt(settings, token) == "kept words"
    reads = []
    monkeypatch.setattr(crypto, "read_or_create_secret", lambda path, make: reads.append(path) or path.read_text())
    for _ in range(5):
        assert crypto.decrypt(settings, token) == "kept words"
    assert reads == []  # read when first made, not on every use
    settings.key_file.write_text(Fernet.generate_key().decode() + "\n")
    with pytest.raises(InvalidToken):
        crypto.decrypt(settings, token)
    assert crypto.decrypt(settings, crypto.encrypt(settings, "new words")) == "new words"
    assert reads == [settings.key_file]


def test_delete_erases_everything_of_a_client(data_dir):
    service.save_answer("c1", "worksheet", "main", "q1_trust_meaning", "x", "m1")
    service.record_escalation("c1", "suicide", "rules", "m2")
    with unit_of_work() as session:
        assert repo.delete_client(session, "c1") == {"answers": 1, "escalations": 1, "private_marks": 0}
    export = service.export("c1")
    assert export["worksheet_answers"] == {} and export["escalations"] == []
