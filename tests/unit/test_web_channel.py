"""Widget tokens and what the web channel hands to Rasa."""

import time

import jwt
import pytest

from bot import dialogue
from bot.channels import tokens
from bot.channels.web import BUTTON_INTENTS, as_typed
from bot.settings import Settings

SECRET = "unit-test-secret-" + "z" * 32


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path, database_url="sqlite://", widget_jwt_secret=SECRET)


def test_a_minted_token_names_its_client(settings):
    assert tokens.client_of(tokens.mint("client-7", 1, settings), settings) == "client-7"


NOW = int(time.time())


@pytest.mark.parametrize(
    "claims, secret, algorithm",
    [
        ({"sub": "c", "iat": NOW - 600, "exp": NOW - 120}, SECRET, "HS256"),  # expired (beyond the clock skew)
        ({"sub": "c", "iat": NOW}, SECRET, "HS256"),  # no exp
        ({"sub": "c", "exp": NOW + 60}, SECRET, "HS256"),  # no iat
        ({"iat": NOW, "exp": NOW + 60}, SECRET, "HS256"),  # no sub
        ({"sub": "c", "iat": NOW, "exp": NOW + 60}, "other-" + SECRET, "HS256"),  # forged
        ({"sub": "c", "iat": NOW, "exp": NOW + 60}, SECRET, "HS384"),  # another algorithm
        ({"sub": "bad id with spaces", "iat": NOW, "exp": NOW + 60}, SECRET, "HS256"),
        ({"sub": 42, "iat": NOW, "exp": NOW + 60}, SECRET, "HS256"),
        ({"sub": "client-7\n", "iat": NOW, "exp": NOW + 60}, SECRET, "HS256"),  # a second client by a newline
        ({"sub": "..", "iat": NOW, "exp": NOW + 60}, SECRET, "HS256"),
        ({"sub": "a/../b", "iat": NOW, "exp": NOW + 60}, SECRET, "HS256"),
        ({"sub": "c", "iat": NOW, "exp": NOW + 8 * 24 * 3600}, SECRET, "HS256"),  # lives longer than a week
        ({"sub": "c", "iat": NOW + 3600, "exp": NOW + 7200}, SECRET, "HS256"),  # issued in the future
        ({"sub": "c", "iat": "yesterday", "exp": NOW + 60}, SECRET, "HS256"),
    ],
)
def test_bad_tokens_are_refused(settings, claims, secret, algorithm):
    with pytest.raises(tokens.BadToken):
        tokens.client_of(jwt.encode(claims, secret, algorithm=algorithm), settings)


def test_a_token_for_longer_than_a_week_or_for_a_bad_id_is_not_minted(settings):
    for client_id, hours in (("client-7", 8 * 24), ("client-7", 0), ("client-7\n", 1), ("..", 1), ("a..b", 1)):
        with pytest.raises(ValueError):
            tokens.mint(client_id, hours, settings)
    assert tokens.client_of(tokens.mint("a.b", tokens.MAX_HOURS, settings), settings) == "a.b"


def test_an_unsigned_token_is_refused(settings):
    unsigned = jwt.encode({"sub": "c", "iat": NOW, "exp": NOW + 60}, None, algorithm="none")
    with pytest.raises(tokens.BadToken):
        tokens.client_of(unsigned, settings)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_header(header, expected):
    assert tokens.bearer(header) == expected


def test_without_a_configured_secret_one_is_made_once(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="sqlite://")
    first = tokens.secret(settings)
    assert len(first) >= tokens.MIN_SECRET_CHARS and tokens.secret(settings) == first
    assert (tmp_path / "widget.secret").stat().st_mode & 0o777 == 0o600


def test_a_short_secret_stops_with_a_clear_message(tmp_path):
    with pytest.raises(SystemExit, match="at least"):
        tokens.secret(Settings(data_dir=tmp_path, database_url="sqlite://", widget_jwt_secret="short"))


@pytest.mark.parametrize(
    "typed, delivered",
    [
        ("/start_checkin", "/start_checkin"),
        ('/change_answer{"change_target":"trust_rating"}', '/change_answer{"change_target":"trust_rating"}'),
        ("/session_start", "session_start"),
        ("/restart", "restart"),
        ("/ not sure what to say", "not sure what to say"),
        ("/ /crisis", "crisis"),
        ('/help{"text": "anything"}', 'help{"text": "anything"}'),
        ('/keep_private{"private_target":"q1_trust_meaning"}', '/keep_private{"private_target":"q1_trust_meaning"}'),
        ('/keep_private{"private_target": 5}', 'keep_private{"private_target": 5}'),
        ("/keep_private{not json", "keep_private{not json"),
        ("today was hard", "today was hard"),
        ("///", ""),
    ],
)
def test_only_button_intents_pass_as_intents(typed, delivered):
    assert as_typed(typed) == delivered


def test_every_button_of_the_bot_is_let_through():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [root / "bot" / "turns.py", root / "bot" / "domain.py", *sorted((root / "domain").glob("*.yml"))]
    sent = set()
    for path in sources:
        sent |= set(re.findall(r'["\']/([a-z_]+)(?=[{"\'])', path.read_text()))
    assert {"keep_private", "change_answer", "start_draft", "affirm"} <= sent
    assert sent <= BUTTON_INTENTS, sent - BUTTON_INTENTS
    # the buttons of "pause here, or save that as your answer?"
    assert set(dialogue.COMMAND_CHOICES) | {dialogue.SAVE_ANSWER} <= BUTTON_INTENTS


def test_a_download_token_is_not_a_chat_token_and_back(settings):
    download = tokens.mint("client-7", 0.1, settings, purpose="export")
    assert tokens.client_of(download, settings, purpose="export") == "client-7"
    with pytest.raises(tokens.BadToken):
        tokens.client_of(download, settings)
    with pytest.raises(tokens.BadToken):
        tokens.client_of(tokens.mint("client-7", 1, settings), settings, purpose="export")
