"""The clinician's part of the portal: sign in, their clients, each client's
pre-session summary (page, chart, HTML and CSV downloads), acknowledging
safety flags, and the audit log. A client of another clinician is a 404.
The routes are on the blueprint `bp`, the pages' HTML in `templates/`; the
admin pages are in `admin.py`."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime
from typing import Any, Dict, List, Optional

from sanic import Blueprint, response
from sanic.exceptions import Unauthorized
from sanic.request import Request

from bot import service, summary
from bot.channels.tokens import valid_client_id
from bot.portal import CLINICIAN as PREFIX, STATIC, auth
from bot.portal.pages import render, when
from bot.settings import Settings, portal_secret
from bot.store import clinicians as repo
from bot.store.db import unit_of_work

CATEGORY_NAMES = {
    "suicide": "Suicide risk",
    "self_harm": "Self-harm",
    "harm_to_others": "Harm to others",
    "abuse": "Abuse",
    "medical": "Medical emergency",
    "danger": "In danger now",
    "possible_risk": "Possible risk: asked whether safe",
    "unspecified": "Risk (unclear answer)",
}

bp = Blueprint("clinician", url_prefix=PREFIX)


class Shared:
    """What the clinician's pages share, made with the app (`app.ctx.clinician`).
    Beyond this machine the cookies are `__Host-` ones: Secure, for the whole
    host and no other, so no other site or subdomain can set or read them."""

    def __init__(self, settings: Settings) -> None:
        self.secure = settings.cookies_secure
        self.session_cookie, self.login_cookie = (
            f"__Host-{name}" if self.secure else name for name in (auth.SESSION_COOKIE, auth.LOGIN_CSRF_COOKIE)
        )
        self.secret = portal_secret(settings)
        self.throttle = auth.Throttle()

    def set_cookie(self, reply, name: str, value: str, max_age: int) -> None:
        reply.cookies[name] = value
        cookie = reply.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/" if self.secure else PREFIX
        cookie["max-age"] = max_age
        if self.secure:
            cookie["secure"] = True


def shared(request: Request) -> Shared:
    return request.app.ctx.clinician


class Who:
    def __init__(self, clinician_id: int, username: str, csrf: str, admin: bool = False) -> None:
        self.id, self.username, self.csrf, self.admin = clinician_id, username, csrf, admin

    @property
    def actor(self) -> str:
        return f"clinician:{self.username}"


def chart_alt(series: List[Dict[str, Any]]) -> str:
    points = "; ".join(f"{p['date']}: trust {p['trust']}, safety {p['safety']}" for p in series)
    return "Chart of trust and safety ratings by session date. " + (points or "No check-ins yet.")


def summary_context(data: Dict[str, Any], chart_src: str, csrf: Optional[str], client_id: str) -> Dict[str, Any]:
    """What `summary_sections.html` needs. Forms only on the live page (csrf given)."""
    return {
        "data": data,
        "chart_src": chart_src,
        "chart_alt": chart_alt(data["series"]),
        "csrf": csrf,
        "client_id": client_id,
        "category_names": CATEGORY_NAMES,
    }


def who(request: Request) -> Optional[Who]:
    token = request.cookies.get(shared(request).session_cookie)
    if not token:
        return None
    with unit_of_work() as session:
        found = repo.signed_in(session, auth.token_hash(token))
        return Who(found[0].id, found[0].username, found[1], found[0].is_admin) if found else None


@bp.signal("http.routing.after")
async def signed_in_before_the_body(request: Request, **_) -> None:
    """A form sent to a clinician's page (signing in and out aside) needs a
    signed-in session; checked before its body is read."""
    if (
        request.method == "POST"
        and request.path.startswith(PREFIX)
        and request.path not in (f"{PREFIX}/login", f"{PREFIX}/logout")
        and await asyncio.to_thread(who, request) is None
    ):
        raise Unauthorized("Please sign in again.")


def owns(person: Who, client_id: str) -> bool:
    if not valid_client_id(client_id):
        return False
    with unit_of_work() as session:
        return repo.is_clients_clinician(session, person.id, client_id)


def not_found():
    return render("not_found.html", status=404, person=None, about_a_client=True)


def to_login():
    return response.redirect(f"{PREFIX}/login")


def gate(request: Request, client_id: Optional[str] = None):
    """(the signed-in clinician, None), or (None, the reply to give instead):
    the sign-in page, or a 404 for a client who is not theirs."""
    person = who(request)
    if not person:
        return None, to_login()
    if client_id is not None and not owns(person, client_id):
        return None, not_found()
    return person, None


def audit(person: Who, action: str, client_id: str, detail: Optional[str] = None) -> None:
    with unit_of_work() as session:
        repo.audit(session, person.actor, action, client_id, detail)


def login_page(request: Request, message: str = "", status: int = 200):
    state = shared(request)
    token = auth.signed_csrf(state.secret)
    reply = render("login.html", status=status, csrf=token, message=message)
    state.set_cookie(reply, state.login_cookie, token, 3600)
    return reply


@bp.get("/login")
async def login_form(request: Request):
    return login_page(request)


@bp.post("/login")
async def login(request: Request):
    state = shared(request)
    if not auth.signed_csrf_ok(state.secret, request.cookies.get(state.login_cookie), request.form.get("csrf_token")):
        return login_page(request, "The form had expired. Please sign in again.", status=403)
    result = await asyncio.to_thread(
        auth.sign_in,
        (request.form.get("username") or "").strip(),
        request.form.get("password") or "",
        request.remote_addr or request.ip,
        state.throttle,
    )
    if not result.ok:
        return login_page(request, result.message, status=401)
    reply = response.redirect(f"{PREFIX}/")
    state.set_cookie(reply, state.session_cookie, result.session_token or "", auth.SESSION_HOURS * 3600)
    state.set_cookie(reply, state.login_cookie, "", 0)
    return reply


@bp.post("/logout")
async def logout(request: Request):
    state = shared(request)
    person = who(request)
    if person and auth.csrf_ok(person.csrf, request.form.get("csrf_token")):
        with unit_of_work() as session:
            repo.close_session(session, auth.token_hash(request.cookies[state.session_cookie]))
    reply = to_login()
    state.set_cookie(reply, state.session_cookie, "", 0)
    return reply


@bp.get("/")
async def clients(request: Request):
    person, refusal = gate(request)
    if refusal:
        return refusal
    with unit_of_work() as session:
        ids = repo.clients_of(session, person.id)
    rows = [{"id": client_id, "flags": len(service.summary_of(client_id)["flags"])} for client_id in ids]
    return render("clients.html", person=person, clients=rows)


@bp.get("/clients/<client_id:str>")
async def client_summary(request: Request, client_id: str):
    person, refusal = gate(request, client_id)
    if refusal:
        return refusal
    data = service.summary_of(client_id)
    audit(person, "viewed_summary", client_id)
    return render(
        "summary.html",
        person=person,
        prepared=when(datetime.utcnow().isoformat(timespec="seconds")),
        **summary_context(data, f"{PREFIX}/clients/{client_id}/chart.png", person.csrf, client_id),
    )


@bp.get("/clients/<client_id:str>/chart.png")
async def chart(request: Request, client_id: str):
    if gate(request, client_id)[1]:
        return not_found()
    return response.raw(summary.chart_png(service.summary_of(client_id)["series"]), content_type="image/png")


@bp.get("/clients/<client_id:str>/summary.html", name="summary_html")
async def download_html(request: Request, client_id: str):
    return await download(request, client_id, "html")


@bp.get("/clients/<client_id:str>/summary.csv", name="summary_csv")
async def download_csv(request: Request, client_id: str):
    return await download(request, client_id, "csv")


async def download(request: Request, client_id: str, kind: str):
    person, refusal = gate(request, client_id)
    if refusal:
        return not_found()
    data = service.summary_of(client_id)
    audit(person, f"downloaded_summary_{kind}", client_id)
    disposition = {"Content-Disposition": f'attachment; filename="summary-{client_id}.{kind}"'}
    if kind == "csv":
        return response.text(summary.as_csv(data), content_type="text/csv; charset=utf-8", headers=disposition)
    # Self-contained: the style sheet inline, the chart a data: URL.
    png = base64.b64encode(summary.chart_png(data["series"])).decode()
    return render(
        "summary_download.html",
        headers=disposition,
        css=(STATIC / "portal.css").read_text(),
        **summary_context(data, f"data:image/png;base64,{png}", None, client_id),
    )


@bp.post("/clients/<client_id:str>/flags/<flag_id:int>/acknowledge")
async def acknowledge(request: Request, client_id: str, flag_id: int):
    person, refusal = gate(request, client_id)
    if refusal:
        return refusal
    if not auth.csrf_ok(person.csrf, request.form.get("csrf_token")):
        return render("expired.html", status=403)
    with unit_of_work() as session:
        if not repo.acknowledge(session, client_id, flag_id, person.username):
            return not_found()
        repo.audit(session, person.actor, "acknowledged_flag", client_id, f"flag {flag_id}")
    return response.redirect(f"{PREFIX}/clients/{client_id}")


@bp.get("/audit")
async def audit_log(request: Request):
    person, refusal = gate(request)
    if refusal:
        return refusal
    with unit_of_work() as session:
        entries = repo.audit_entries(session, repo.clients_of(session, person.id))
    return render("audit.html", person=person, entries=entries)
