"""The action server: rasa_sdk's app with the project's actions, answering
only the Rasa server.

Rasa sends the shared secret (ACTION_SERVER_SECRET, or one generated once
into the data folder) in a header on every call (`endpoints.yml`). A call
without it is refused with a 401 and logged, before its body is read, so no
other process on the machine can run an action, such as "delete my data", in
a client's name. `/health` and `/ready` (the store answers) stay open. Errors never echo the request (it
holds the client's conversation).

    python -m bot.action_server [--port 5055]
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from typing import Optional

from sanic import Sanic, response
from sanic.exceptions import SanicException, Unauthorized
from sanic.request import Request

from bot.settings import Settings, action_secret, get_settings

logger = logging.getLogger(__name__)

HEADER = "X-Reflection-Action-Secret"
OPEN_PATHS = frozenset({"/health", "/ready"})
# Rasa sends the whole conversation since the session began (a session ends
# after an hour of silence); this is far above any real one.
MAX_BODY_BYTES = 16 * 1024 * 1024


def create_app(settings: Optional[Settings] = None) -> Sanic:
    from rasa_sdk.endpoint import create_app as sdk_app

    secret = action_secret(settings or get_settings()).encode()
    app = sdk_app("actions", cors_origins=[])  # no browser ever calls it
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.signal("http.routing.after")
    async def authenticate(request: Request, **_) -> None:
        """Runs once the route is known and before the body is read."""
        if request.path in OPEN_PATHS:
            return
        given = (request.headers.get(HEADER) or "").encode()
        if not hmac.compare_digest(given, secret):
            logger.warning(
                "Refused a call to the action server without the shared secret: %s %s from %s",
                request.method,
                request.path,
                request.ip,
            )
            raise Unauthorized("This server answers the Rasa server only.")

    @app.get("/ready")
    async def ready(_request: Request):
        from bot.health import store_readiness

        status, body = await store_readiness(settings)
        return response.json(body, status=status)

    @app.exception(SanicException)
    async def refused(request: Request, problem: SanicException):
        return response.json({"error": str(problem)}, status=getattr(problem, "status_code", 500))

    @app.exception(Exception)
    async def failed(request: Request, problem: Exception):
        # rasa_sdk's own handler returns the request body (the conversation).
        logger.error("An action failed: %s", type(problem).__name__, exc_info=problem)
        return response.json({"error": "The action failed."}, status=500)

    return app


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="The action server (loopback, Rasa only).")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.store.db import refuse_an_older_store

    refuse_an_older_store()
    create_app().run(host=args.host, port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
