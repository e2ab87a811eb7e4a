"""The escalation webhook against a real HTTP server on loopback."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from bot.safety import webhook


class Recorder(BaseHTTPRequestHandler):
    bodies = []
    failures_left = 0

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Recorder.bodies.append(body)
        if Recorder.failures_left > 0:
            Recorder.failures_left -= 1
            self.send_response(503)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def serve():
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/hook"


def test_webhook_retries_with_backoff_and_carries_no_text():
    server, url = serve()
    Recorder.bodies, Recorder.failures_left = [], 2
    try:
        ok = asyncio.run(webhook.send(url, webhook.payload("client-a", "suicide", "rules"), first_delay=0.01))
    finally:
        server.shutdown()
    assert ok is True
    assert len(Recorder.bodies) == 3
    assert set(Recorder.bodies[-1]) == {"event", "client_id", "category", "layer", "at", "demo"}
    assert Recorder.bodies[-1]["category"] == "suicide" and Recorder.bodies[-1]["demo"] is False


def test_a_visitor_of_the_demo_page_is_labelled():
    assert webhook.payload("demo-0a1b2c3d4e5f6a7b", "suicide", "rules")["demo"] is True
    assert webhook.payload("client-demo-7", "suicide", "rules")["demo"] is False


def test_webhook_gives_up_without_raising():
    ok = asyncio.run(
        webhook.send("http://127.0.0.1:9/nothing-listens", webhook.payload("c", "abuse", "nlu"), first_delay=0.001)
    )
    assert ok is False


def test_notify_returns_at_once():
    server, url = serve()
    Recorder.bodies, Recorder.failures_left = [], 0

    async def scenario():
        webhook.notify(url, "client-b", "medical", "rules")  # must not await the send
        assert Recorder.bodies == []
        await asyncio.sleep(0.5)

    try:
        asyncio.run(scenario())
    finally:
        server.shutdown()
    assert Recorder.bodies and Recorder.bodies[0]["client_id"] == "client-b"
