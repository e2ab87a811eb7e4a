"""The client's control of their data and the clinician's summary: actions
with a real store, the summary built from an export, sign-in and lockout."""

import csv
import io

import pytest
from rasa_sdk.events import SlotSet

from actions.forms import ValidateCheckinForm
from actions.privacy import ActionDeleteMyData, ActionDownloadMyData, ActionKeepPrivate, ActionShowSummary
from bot import service, summary
from bot.channels import tokens
from bot.portal import auth
from bot.store import clinicians
from bot.store.db import unit_of_work
from tests.unit.test_actions import run, tracker


def _checkin(client, day, trust, safety, agenda, n):
    run_id = service.open_flow(client, "checkin").run
    for slot, value in [
        ("session_date", day),
        ("session_topic", "my sister"),
        ("trust_rating", trust),
        ("safety_rating", safety),
        ("therapist_could_do", '=HYPERLINK("x")'),
        ("agenda_item", agenda),
    ]:
        service.save_answer(client, "checkin", run_id, slot, value, f"m{n}{slot}")
    service.finish_flow(client)


@pytest.fixture
def client_with_answers(data_dir):
    _checkin("client-a", "2026-10-08", 6, 7, "talk about pacing", 1)
    _checkin("client-a", "2026-10-01", 4, 5, "ask about homework", 2)
    service.save_answer(
        "client-a", "worksheet", "main", "holding_back", ["limited_disclosure", "resistance_to_feedback"], "m-hb"
    )
    service.save_answer("client-a", "worksheet", "main", "q1_trust_meaning", "Saying hard things", "m-q1")
    service.save_answer("client-a", "worksheet", "main", "q2_past_trust", "a very private thought", "m-q2")
    service.record_escalation("client-a", "self_harm", "rules", "m-x")
    return "client-a"


def test_the_summary_holds_flags_checkins_chart_points_and_leaves_out_private_answers(client_with_answers):
    service.keep_private("client-a", "q2_past_trust")
    data = service.summary_of("client-a")
    assert [f["category"] for f in data["flags"]] == ["self_harm"]
    assert [(p["date"], p["trust"], p["safety"]) for p in data["series"]] == [
        ("2026-10-01", 4, 5),
        ("2026-10-08", 6, 7),
    ]  # by session date, not by when it was written
    # the latest session (10-08, entered first), not the check-in entered last (about 10-01)
    latest = [(a["label"], a["value"]) for a in data["latest_checkin"]["answers"]]
    assert ("Trust (1-10)", "6/10") in latest and ("Session date", "2026-10-08") in latest
    assert len(data["checklist"]) == 2
    assert [a["field"] for a in data["worksheet"]] == ["q1_trust_meaning"]
    assert [a["text"] for a in data["agenda"]] == ["talk about pacing", "ask about homework"]
    assert "a very private thought" not in summary.as_text(data) + summary.as_csv(data)


def test_what_the_therapist_sees_is_the_summary_in_words(client_with_answers):
    events, messages = run(ActionShowSummary(), tracker("what will my therapist see", "what_therapist_sees"))
    text = messages[0]["text"]
    for expected in (
        "Saying hard things",
        "talk about pacing",
        "Trust (1-10): 6/10",
        "self harm",
        "trust and safety ratings over 2 check-ins",
        "a very private thought",
    ):
        assert expected in text, expected
    run(
        ActionKeepPrivate(),
        tracker("/keep_private", "keep_private", entities=[{"entity": "private_target", "value": "q2_past_trust"}]),
    )
    _, messages = run(ActionShowSummary(), tracker("what will my therapist see", "what_therapist_sees"))
    assert "a very private thought" not in messages[0]["text"]
    assert "Saying hard things" in messages[0]["text"]


def test_keep_private_names_the_question_or_offers_buttons(client_with_answers):
    _, messages = run(ActionKeepPrivate(), tracker("keep my answer to question 1 private", "keep_private"))
    assert messages[0]["response"] == "utter_kept_private"
    assert "q1_trust_meaning" in service.export_for_client("client-a")["private"][0]
    _, messages = run(ActionKeepPrivate(), tracker("keep something private", "keep_private"))
    assert messages[0]["response"] == "utter_ask_which_private"
    assert '/keep_private{"private_target":"q1_trust_meaning"}' in [b["payload"] for b in messages[0]["buttons"]]


def test_keep_private_inside_a_form_asks_the_same_question_again(client_with_answers):
    events = run_validator(
        tracker(
            "what will my therapist see",
            "what_therapist_sees",
            slots={"requested_slot": "session_topic", "flow": "checkin", "flow_run": "r"},
            loop="checkin_form",
        )
    )
    assert SlotSet("session_topic", None) in events


def run_validator(t):
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    return asyncio.run(ValidateCheckinForm().run(CollectingDispatcher(), t, {"forms": {}}))


def test_a_download_link_is_for_this_client_and_only_for_downloading(data_dir):
    _, messages = run(ActionDownloadMyData(), tracker("download my data", "download_my_data"))
    link = messages[0]["link"]
    token = link.split("token=", 1)[1]
    assert tokens.client_of(token, purpose="export") == "client-a"
    with pytest.raises(tokens.BadToken):
        tokens.client_of(token)  # not a chat token


def test_delete_erases_the_reflections_and_marks_the_conversation_for_erasure(client_with_answers):
    events, messages = run(ActionDeleteMyData(), tracker("yes", "affirm", slots={"delete_confirmed": "yes"}))
    assert events == [SlotSet("data_erased", True)]
    assert messages[0]["response"] == "utter_data_deleted" and messages[0]["custom"] == {"erase_transcript": True}
    export = service.export("client-a")
    assert export["checkins"] == [] and export["worksheet_answers"] == {} and export["escalations"] == []
    with unit_of_work() as session:
        entry = clinicians.audit_entries(session, ["client-a"])[0]
    assert entry["action"] == "deleted_own_data" and entry["detail"] == "answers=15, escalations=1, private_marks=0"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client_with_answers):
    rows = list(csv.reader(io.StringIO(summary.as_csv(service.summary_of("client-a")))))
    assert any(r[2] == '\'=HYPERLINK("x")' for r in rows)
    assert not any(r[2].startswith("=") for r in rows)


def test_the_chart_is_a_png(client_with_answers):
    assert summary.chart_png(service.summary_of("client-a")["series"])[:4] == b"\x89PNG"
    assert summary.chart_png([])[:4] == b"\x89PNG"


def test_passwords_are_hashed_with_scrypt_and_checked():
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert auth.verify_password("correct horse battery", stored)
    assert not auth.verify_password("wrong horse battery", stored)
    assert not auth.verify_password("x", "md5$nonsense")


def test_failed_sign_ins_are_throttled_per_address_and_no_account_is_locked(data_dir):
    with unit_of_work() as session:
        clinicians.add_clinician(session, "dana", auth.hash_password("correct horse battery"))
    throttle = auth.Throttle(limit=3, minutes=15)
    assert auth.sign_in("dana", "correct horse battery", "10.0.0.9", throttle).ok
    answers = [auth.sign_in(name, "wrong", "10.0.0.9", throttle).message for name in ("dana", "nobody", "dana")]
    assert answers == [auth.WRONG] * 3  # an unknown name and a wrong password answer alike
    for name, password in (("dana", "correct horse battery"), ("nobody", "x")):
        assert auth.sign_in(name, password, "10.0.0.9", throttle).message == auth.THROTTLED
    # Nobody else is locked out: the clinician signs in from another address.
    assert auth.sign_in("dana", "correct horse battery", "10.0.0.10", throttle).ok


def test_the_sign_in_forms_csrf_value_is_signed_by_the_server():
    token = auth.signed_csrf("server secret")
    assert auth.signed_csrf_ok("server secret", token, token)
    assert not auth.signed_csrf_ok("server secret", token, auth.signed_csrf("server secret"))  # not the cookie's
    forged = "anything.abcdef"
    assert not auth.signed_csrf_ok("server secret", forged, forged)  # cookie and form agree, unsigned
    assert not auth.signed_csrf_ok("another secret", token, token)


def test_cookies_are_secure_unless_the_portal_is_plain_http_on_this_machine(data_dir):
    from bot.settings import Settings

    def secure(**values):
        return Settings(data_dir=data_dir, database_url="sqlite://", **values).cookies_secure

    assert not secure()
    assert not secure(portal_host="localhost")
    assert secure(portal_public_url="https://portal.practice.example")
    assert secure(portal_host="0.0.0.0")
    assert secure(portal_cookie_secure=True)


def test_a_new_password_signs_every_browser_out(data_dir):
    with unit_of_work() as session:
        clinicians.add_clinician(session, "erin", auth.hash_password("first password!!"))
    session_token = auth.sign_in("erin", "first password!!").session_token
    with unit_of_work() as session:
        assert clinicians.signed_in(session, auth.token_hash(session_token))
        clinicians.add_clinician(session, "erin", auth.hash_password("second password!!"))
    with unit_of_work() as session:
        assert clinicians.signed_in(session, auth.token_hash(session_token)) is None


def test_the_store_overwrites_deleted_rows(data_dir):
    from sqlalchemy import text

    with unit_of_work() as session:
        assert session.execute(text("PRAGMA secure_delete")).scalar() == 1


def test_the_audit_names_the_client_only_from_the_widget_channel():
    from bot import turns

    assert turns.Turn("c", channel=tokens.CHANNEL).actor == "client"
    assert turns.Turn("c", channel="rest").actor == "unverified (rest channel)"
    assert turns.Turn("c", channel="cmdline").actor == "unverified (cmdline channel)"
    assert turns.Turn("c").actor == "unverified (unknown channel)"


def test_the_audit_command_shows_control_characters_as_escapes():
    from bot.__main__ import printable

    assert printable("ok\x1b[2J\nforged line\r\x00") == "ok\\x1b[2J\\nforged line\\r\\x00"
    assert printable("Zoë's note") == "Zoë's note"


def test_start_up_warns_of_secrets_and_data_open_to_other_users(data_dir, monkeypatch):
    from bot.settings import exposure_warnings, get_settings

    folder = data_dir / "data"
    monkeypatch.setenv("REFLECTION_DATA_DIR", str(folder))
    get_settings.cache_clear()
    service.save_answer("client-a", "worksheet", "main", "q1_trust_meaning", "honesty", "m1")  # makes db and key
    env = data_dir / "no.env"
    env.write_text("PRACTICE_NAME=Harbor\n")
    folder.chmod(0o700)
    env.chmod(0o600)
    for path in folder.iterdir():
        path.chmod(0o600)
    warnings = exposure_warnings()
    assert len(warnings) == 1 and "encryption key is in the data folder" in warnings[0]
    env.chmod(0o644)
    folder.chmod(0o755)
    (folder / "reflections.db").chmod(0o644)
    warnings = exposure_warnings()
    assert f"{env} can be read by other users of this machine: chmod 600 {env}" in warnings
    assert f"{folder} can be read by other users of this machine: chmod 700 {folder}" in warnings
    assert any("reflections.db can be read" in w for w in warnings)
    monkeypatch.setenv("ANSWER_ENCRYPTION_KEYS", (folder / "answers.key").read_text().strip())
    get_settings.cache_clear()
    assert not any("encryption key" in w for w in exposure_warnings())


def test_a_data_folder_the_store_makes_is_its_owners_only(data_dir, monkeypatch):
    from bot.settings import get_settings

    folder = data_dir / "new" / "data"
    monkeypatch.setenv("REFLECTION_DATA_DIR", str(folder))
    get_settings.cache_clear()
    service.save_answer("client-a", "worksheet", "main", "q1_trust_meaning", "honesty", "m1")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "answers.key").stat().st_mode & 0o777 == 0o600


def test_tokens_issued_before_a_client_deleted_their_data_are_refused(data_dir):
    import time

    import jwt

    before = int(time.time()) - 5
    old_chat = jwt.encode({"sub": "client-b", "iat": before, "exp": before + 3600}, tokens.secret(), algorithm="HS256")
    old_export = tokens.mint("client-b", 0.1, purpose="export")
    other = jwt.encode({"sub": "client-c", "iat": before, "exp": before + 3600}, tokens.secret(), algorithm="HS256")
    assert tokens.client_of(old_chat) == "client-b"
    time.sleep(1.1)  # token times are whole seconds
    service.delete_client_data("client-b")
    with pytest.raises(tokens.BadToken, match="deleted"):
        tokens.client_of(old_chat)
    with pytest.raises(tokens.BadToken, match="deleted"):
        service.redeem_export_token(old_export)
    assert tokens.client_of(tokens.mint("client-b", 1)) == "client-b"  # a new link starts afresh
    assert tokens.client_of(other) == "client-c"


def test_a_download_token_works_once(data_dir):
    token = tokens.mint("client-a", 0.1, purpose="export")
    assert service.redeem_export_token(token) == "client-a"
    with pytest.raises(tokens.BadToken, match="used already"):
        service.redeem_export_token(token)
    assert service.redeem_export_token(tokens.mint("client-a", 0.1, purpose="export")) == "client-a"


def test_demo_visitors_are_forgotten_once_their_links_have_expired(data_dir):
    from datetime import timedelta

    from bot.store.models import Client

    for client in ("demo-old", "demo-new", "client-old"):
        service.save_answer(client, "worksheet", "main", "q1_trust_meaning", "honesty", f"m-{client}")
    with unit_of_work() as session:
        for client in ("demo-old", "client-old"):
            session.get(Client, client).created_at -= timedelta(hours=13)
    assert service.forget_demo_clients("demo-", 12) == 1
    assert service.export("demo-old")["worksheet_answers"] == {}
    assert service.export("demo-new")["worksheet_answers"] and service.export("client-old")["worksheet_answers"]


def test_demo_and_the_local_rest_channel_are_refused_beyond_loopback(data_dir, monkeypatch):
    from bot.settings import demo_warning, get_settings, unsafe_demo_settings

    def with_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        return unsafe_demo_settings(), demo_warning()

    assert with_env(PORTAL_DEMO="on", LOCAL_REST_CHANNEL="off", PORTAL_HOST="127.0.0.1") == (
        None,
        "PORTAL_DEMO ON: for trying it out on this machine only. Turn off in .env before clients use it.",
    )
    refusal, _ = with_env(PORTAL_HOST="0.0.0.0")
    assert "PORTAL_DEMO must be off" in refusal and "PORTAL_HOST=0.0.0.0" in refusal
    refusal, _ = with_env(PORTAL_DEMO="off", LOCAL_REST_CHANNEL="on", PORTAL_HOST="::1", SANIC_HOST="10.0.0.5")
    assert "LOCAL_REST_CHANNEL must be off" in refusal and "SANIC_HOST=10.0.0.5" in refusal
    assert with_env(LOCAL_REST_CHANNEL="off") == (None, None)  # a public host with both off is fine
    get_settings.cache_clear()


def test_the_widget_tag_carries_the_practice_and_escapes_every_value(data_dir, monkeypatch):
    from bot.portal.app import widget_tag
    from bot.settings import get_settings

    monkeypatch.setenv("CLINICIAN_NAME", 'Dr. "Quote" <b>')
    get_settings.cache_clear()
    tag = widget_tag(get_settings(), token_url="/demo/token")
    assert tag.startswith("<script ") and 'data-token-url="/demo/token"' in tag
    assert 'data-clinician-name="Dr. &quot;Quote&quot; &lt;b&gt;"' in tag and "<b>" not in tag
