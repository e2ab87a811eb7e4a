"""Fair use: one client, or one address, sending too fast gets a clear 429 and
nothing of the refused message is kept; a message that shows risk is taken
whatever the count; other clients are answered meanwhile."""

import time
import urllib.error
import urllib.request
import uuid

import jwt
import pytest

from tests.integration.servers import running

SECRET = "fair-use-widget-secret-" + "z" * 32
PATH = "/webhooks/reflection/webhook"
BURST = 4


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    with running(
        tmp_path_factory.mktemp("fair"),
        {
            "WIDGET_JWT_SECRET": SECRET,
            "CHAT_BURST": str(BURST),
            "CHAT_MESSAGES_PER_MINUTE": "2",
            "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "60",
            "PORTAL_REQUESTS_PER_MINUTE_PER_ADDRESS": "30",
        },
        {"LOCAL_REST_CHANNEL": "off"},
        portal=True,
    ) as started:
        yield started


def token(sub):
    now = int(time.time())
    return jwt.encode({"sub": sub, "iat": now, "exp": now + 600}, SECRET, algorithm="HS256")


def say(servers, client, message):
    return servers.post({"message": message}, PATH, headers={"Authorization": f"Bearer {token(client)}"})


def user_messages(servers, client):
    return sum(1 for kind, _intent, _action in servers.events(client) if kind == "user")


def test_a_client_sending_too_fast_is_asked_to_wait_and_nothing_refused_is_kept(servers):
    client = f"fast-{uuid.uuid4().hex[:8]}"
    taken = 0
    for n in range(BURST + 3):
        status, body = say(servers, client, "hello" if n == 0 else "ok")
        if status != 200:
            break
        taken += 1
    assert taken == BURST, taken  # the burst, then refused
    assert status == 429 and "faster than I can take them in" in body["error"] and "Get help now" in body["error"]
    assert user_messages(servers, client) == taken

    # a message that shows risk is taken and answered, whatever the count
    status, replies = say(servers, client, "i have the pills in my hand and i'm going to take them all tonight")
    assert status == 200 and "not monitored live" in "\n".join(r.get("text") or "" for r in replies)
    assert user_messages(servers, client) == taken + 1

    # another client is answered meanwhile
    status, replies = say(servers, f"calm-{uuid.uuid4().hex[:8]}", "hello")
    assert status == 200 and replies


def test_the_wait_is_said_in_a_retry_after_header(servers):
    client = f"header-{uuid.uuid4().hex[:8]}"
    request = None
    for _ in range(BURST + 1):
        request = urllib.request.Request(
            f"http://127.0.0.1:{servers.rasa_port}{PATH}",
            data=b'{"message": "ok"}',
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token(client)}"},
            method="POST",
        )
        try:
            urllib.request.urlopen(request, timeout=60).read()
        except urllib.error.HTTPError as refused:
            assert refused.code == 429
            assert 1 <= int(refused.headers["Retry-After"]) <= 31  # one message at 2 a minute
            return
    pytest.fail("never refused")


def test_one_address_sending_for_many_clients_is_limited_too(servers):
    statuses = [say(servers, f"many-{n}-{uuid.uuid4().hex[:6]}", "hello")[0] for n in range(30)]
    assert 429 in statuses and statuses[0] == 200


def test_the_portal_limits_requests_per_address_but_not_health_checks(servers):
    def get(path):
        try:
            with urllib.request.urlopen(servers.portal_url + path, timeout=30) as reply:
                return reply.status, dict(reply.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers)

    statuses = [get("/clinician/login")[0] for _ in range(15)]
    assert statuses[0] == 200 and statuses[-1] == 429
    status, headers = get("/clinician/login")
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert get("/health")[0] == 200
