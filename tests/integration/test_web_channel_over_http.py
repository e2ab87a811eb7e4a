"""The widget's channel: only a valid token gets in, and the token alone says
whose conversation it is."""

import base64
import json
import time
import urllib.request
import uuid

import jwt
import pytest

from tests.integration.servers import running

SECRET = "test-widget-secret-" + "x" * 32
ORIGIN = "https://harbor-light.example"
PATH = "/webhooks/reflection/webhook"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running(
        tmp_path_factory.mktemp("web"),
        {"WIDGET_JWT_SECRET": SECRET, "WIDGET_ALLOWED_ORIGINS": ORIGIN},
        {"LOCAL_REST_CHANNEL": "off"},
    ) as started:
        yield started


def token(sub, secret=SECRET, algorithm="HS256", **claims):
    payload = {"sub": sub, "iat": int(time.time()), "exp": int(time.time()) + 600, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, secret, algorithm=algorithm)


def say(servers, bearer, message, **body):
    return servers.post({"message": message, **body}, PATH, headers={"Authorization": f"Bearer {bearer}"})


def text_of(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def new_client():
    return f"client-{uuid.uuid4().hex[:8]}"


def test_a_valid_token_talks_to_its_own_conversation(servers):
    client = new_client()
    status, replies = say(servers, token(client), "hello", sender="someone-else")
    assert status == 200 and "worksheet" in text_of(replies).lower()
    assert ("user", "greet", None) in servers.events(client)
    assert servers.events("someone-else") == []


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _bad_tokens(sub):
    good = token(sub)
    header, _payload, signature = good.split(".")
    return {
        "expired": token(sub, iat=int(time.time()) - 900, exp=int(time.time()) - 300),
        "no exp": token(sub, exp=None),
        "no iat": token(sub, iat=None),
        "longer than a week": token(sub, exp=int(time.time()) + 8 * 24 * 3600),
        "a second client by a newline": token(sub + "\n"),
        "no sub": jwt.encode({"exp": int(time.time()) + 600}, SECRET, algorithm="HS256"),
        "forged with another secret": token(sub, secret="another-secret-" + "y" * 32),
        "tampered subject": ".".join([header, _b64({"sub": sub + "-other", "exp": int(time.time()) + 600}), signature]),
        "alg none": ".".join(
            [_b64({"alg": "none", "typ": "JWT"}), _b64({"sub": sub, "exp": int(time.time()) + 600}), ""]
        ),
        "HS512": token(sub, algorithm="HS512"),
        "garbage": "not-a-token",
        "empty": "",
    }


@pytest.mark.parametrize("kind", list(_bad_tokens("x")))
def test_a_bad_token_gets_401_and_stores_nothing(servers, kind):
    client = new_client()
    bad = _bad_tokens(client)[kind]
    status, body = say(servers, bad, "i want to start the worksheet", sender=client)
    assert status == 401, (kind, status, body)
    assert "expired or is not valid" in body["error"]
    assert servers.events(client) == [] and servers.events(client + "-other") == []


def test_no_authorization_header_or_another_scheme_gets_401(servers):
    client = new_client()
    assert servers.post({"message": "hi", "sender": client}, PATH)[0] == 401
    assert servers.post({"message": "hi"}, PATH, headers={"Authorization": f"Basic {token(client)}"})[0] == 401
    assert servers.events(client) == []


def test_one_client_cannot_read_or_write_another_clients_conversation(servers):
    alice, bob = new_client(), new_client()
    status, replies = say(servers, token(bob), "I had a session today", message_id="shared-id-1")
    assert status == 200
    bob_reply = text_of(replies)
    bob_events = servers.events(bob)
    # Alice names Bob as sender and reuses his message id: she gets her own answer, Bob's stays his.
    status, replies = say(servers, token(alice), "hello", message_id="shared-id-1", sender=bob, sender_id=bob)
    assert status == 200 and text_of(replies) != bob_reply
    assert servers.events(bob) == bob_events
    assert ("user", "greet", None) in servers.events(alice)
    # Rasa's HTTP API, which could read any tracker, is not served.
    request = urllib.request.Request(f"http://127.0.0.1:{servers.rasa_port}/conversations/{bob}/tracker")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (401, 403, 404)


def test_typed_slash_commands_are_words_unless_a_button_sends_them(servers):
    client = new_client()
    assert say(servers, token(client), "/start_checkin")[0] == 200  # a button's payload
    assert say(servers, token(client), "/session_start")[0] == 200  # typed: not a new session
    events = servers.events(client)
    assert [intent for kind, intent, _ in events if kind == "user"][0] == "start_checkin"
    assert "session_start" not in [intent for kind, intent, _ in events if kind == "user"]
    assert sum(1 for kind, _, _ in events if kind == "session_started") == 1


def test_the_plain_rest_channel_is_off_unless_the_local_setting_is_on(servers):
    client = new_client()
    status, _ = servers.post({"sender": client, "message": "hi"})
    assert status == 404
    assert servers.events(client) == []


def _preflight(servers, origin):
    request = urllib.request.Request(
        f"http://127.0.0.1:{servers.rasa_port}{PATH}",
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        return reply.headers


def test_cors_allows_only_the_configured_origins(servers):
    assert _preflight(servers, ORIGIN).get("Access-Control-Allow-Origin") == ORIGIN
    assert "authorization" in (_preflight(servers, ORIGIN).get("Access-Control-Allow-Headers") or "").lower()
    assert _preflight(servers, "https://evil.example").get("Access-Control-Allow-Origin") is None


def test_the_token_is_checked_before_the_body_which_has_a_size_limit(servers):
    client = new_client()
    huge = json.dumps({"message": "x" * 200_000}).encode()
    assert servers.post(huge, PATH)[0] == 401  # no token: refused without reading it
    status, body = servers.post(huge, PATH, headers={"Authorization": f"Bearer {token(client)}"})
    assert status == 413 and "too long" in body["error"]
    status, body = servers.post(b"not json", PATH, headers={"Authorization": f"Bearer {token(client)}"})
    assert status == 400 and "JSON" in body["error"]
    assert servers.events(client) == []
    assert say(servers, token(client), "hello")[0] == 200  # and the channel goes on
