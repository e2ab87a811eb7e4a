"""The portal web app (Sanic). `python -m bot.portal` serves it on
PORTAL_HOST:PORTAL_PORT (127.0.0.1:8080 by default)."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import secrets
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request

from bot.channels import tokens
from bot.limits import Buckets, retry_after
from bot.portal import STATIC, TEMPLATES, admin, auth, clinician
from bot.safety.webhook import DEMO_CLIENT_PREFIX
from bot.settings import Settings, demo_warning, get_settings, unsafe_demo_settings

logger = logging.getLogger(__name__)
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png"}
DEMO_TOKEN_HOURS = 12
MAX_BODY_BYTES = 64 * 1024  # the portal's forms are a few fields
DEMO_TOKENS_PER_ADDRESS = 20
DEMO_TOKEN_WINDOW_SECONDS = 3600
TOO_MANY = "Too many requests from this address just now. Please wait a minute, then try again."


def widget_tag(settings: Settings, token_url: Optional[str] = None, portal_url: Optional[str] = None) -> str:
    """The one `<script>` tag a practice puts on its page."""
    practice = settings.practice
    attributes = {
        "src": f"{settings.portal_url if portal_url is None else portal_url}/widget/reflection-widget.js",
        "data-server": settings.rasa_public_url,
        "data-token-url": token_url,
        "data-practice-name": practice.name,
        "data-clinician-name": practice.clinician_name,
        "data-clinician-phone": practice.clinician_phone,
        "data-clinician-hours": practice.clinician_hours,
        "data-aftercare": "; ".join(practice.aftercare),
        "data-crisis-line": practice.crisis_line,
        "data-emergency-number": practice.emergency_number,
    }
    rendered = " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items() if value)
    return f"<script {rendered} defer></script>"


def content_security_policy(settings: Settings) -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' {settings.rasa_public_url}; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def create_app(settings: Optional[Settings] = None) -> Sanic:
    settings = settings or get_settings()
    refusal = unsafe_demo_settings(settings)
    if refusal:
        raise SystemExit(f"The portal cannot start: {refusal}")
    warning = demo_warning(settings)
    if warning:
        logger.warning(warning)
    app = Sanic(f"reflection_portal_{secrets.token_hex(4)}")
    app.config.FALLBACK_ERROR_FORMAT = "text"
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    per_address = settings.portal_per_minute_per_address
    requests = Buckets(per_address, max(per_address // 3, 1))

    @app.middleware("request")
    async def fair_use(request: Request):
        if request.path in ("/health", "/ready"):  # monitoring
            return None
        wait = requests.take(request.remote_addr or request.ip)
        if wait:
            return response.text(TOO_MANY, status=429, headers={"Retry-After": retry_after(wait)})
        return None

    @app.middleware("response")
    async def security_headers(request: Request, reply):
        reply.headers.setdefault("X-Content-Type-Options", "nosniff")
        reply.headers.setdefault("Referrer-Policy", "no-referrer")
        reply.headers.setdefault("Content-Security-Policy", content_security_policy(settings))
        if request.path.startswith("/clinician") or request.path.startswith("/me/"):
            reply.headers["Cache-Control"] = "no-store"  # a shared clinic computer keeps nothing

    @app.get("/")
    async def index(_request: Request):
        return response.redirect("/demo")

    @app.get("/favicon.ico")
    async def favicon(_request: Request):
        return response.empty()

    @app.get("/health")
    async def health(_request: Request):
        return response.json({"status": "ok"})

    @app.get("/ready")
    async def ready(_request: Request):
        from bot.health import store_readiness

        status, body = await store_readiness(settings)
        return response.json(body, status=status)

    @app.get("/widget/<name:str>")
    async def widget_file(_request: Request, name: str):
        path = STATIC / name
        if name not in {p.name for p in STATIC.iterdir()} or path.suffix not in CONTENT_TYPES:
            return response.text("Not found", status=404)
        return response.raw(
            path.read_bytes(), content_type=CONTENT_TYPES[path.suffix], headers={"Cache-Control": "no-cache"}
        )

    @app.get("/demo")
    async def demo(_request: Request):
        token_url = "/demo/token" if settings.portal_demo else None
        return response.html(
            (TEMPLATES / "demo.html")
            .read_text()
            .replace("<!-- widget -->", widget_tag(settings, token_url, portal_url=""))
        )

    demo_tokens = auth.Throttle(DEMO_TOKENS_PER_ADDRESS, DEMO_TOKEN_WINDOW_SECONDS / 60)

    @app.post("/demo/token")
    async def demo_token(request: Request):
        """A new pseudonymous demo client, for trying the widget (PORTAL_DEMO).
        A few per address; demo clients' answers go once their links expire."""
        if not settings.portal_demo:
            return response.json({"error": "The demo is off (PORTAL_DEMO)."}, status=404)
        address = request.remote_addr or request.ip
        if demo_tokens.blocked(address):
            return response.json(
                {"error": "Too many new demo chats from here. Please try again later."},
                status=429,
                headers={"Retry-After": str(DEMO_TOKEN_WINDOW_SECONDS)},
            )
        from bot import service

        demo_tokens.add(address)
        await asyncio.to_thread(service.forget_demo_clients, DEMO_CLIENT_PREFIX, DEMO_TOKEN_HOURS)
        client_id = f"{DEMO_CLIENT_PREFIX}{secrets.token_hex(8)}"
        return response.json(
            {"token": tokens.mint(client_id, DEMO_TOKEN_HOURS, settings)}, headers={"Cache-Control": "no-store"}
        )

    @app.get("/me/export")
    async def my_export_page(_request: Request):
        """The page a download link opens; it posts the token from the link's fragment."""
        return response.html((TEMPLATES / "export.html").read_text())

    @app.post("/me/export")
    async def my_export(request: Request):
        """A client's download of everything of theirs: the token from a link
        the chat gave them, in the body, good for one download."""
        from bot import service

        token = request.form.get("token") if request.form else None
        try:
            client_id = await asyncio.to_thread(service.redeem_export_token, token, settings)
        except tokens.BadToken:
            return response.text(
                "This download link has expired, was used already, or is not valid. Ask the "
                "assistant in the chat for a new one.",
                status=401,
            )
        data = await asyncio.to_thread(service.export_for_client, client_id)
        return response.text(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="my-reflections.json"'},
        )

    app.ctx.clinician = clinician.Shared(settings)  # the cookies' names, the portal's secret, the throttle
    app.blueprint(clinician.bp)
    app.blueprint(admin.bp)
    return app


def main() -> None:
    from bot.store.db import refuse_an_older_store

    settings = get_settings()
    refuse_an_older_store(settings)
    create_app(settings).run(host=settings.portal_host, port=settings.portal_port, access_log=False, motd=False)
