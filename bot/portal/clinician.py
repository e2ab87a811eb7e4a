"""The clinician's part of the portal: sign in, their clients, each client's
pre-session summary (page, chart, HTML and CSV downloads), acknowledging
safety flags, and the audit log. A client of another clinician is a 404.
The admin pages are in `admin.py`."""
from __future__ import annotations

import asyncio
import base64
from datetime import datetime, timezone
from html import escape
from typing import Any, Dict, List, Optional

from sanic import Sanic, response
from sanic.exceptions import Unauthorized
from sanic.request import Request

from bot import service, summary
from bot.channels.tokens import valid_client_id
from bot.portal import auth
from bot.portal.admin import PREFIX as ADMIN, add_admin_routes
from bot.portal import STATIC
from bot.settings import Settings, portal_secret
from bot.store import clinicians as repo
from bot.store.db import unit_of_work

PREFIX = "/clinician"
CATEGORY_NAMES = {"suicide": "Suicide risk", "self_harm": "Self-harm", "harm_to_others": "Harm to others",
                  "abuse": "Abuse", "medical": "Medical emergency", "danger": "In danger now",
                  "possible_risk": "Possible risk: asked whether safe", "unspecified": "Risk (unclear answer)"}


# --- small HTML helpers: every value goes through escape() --------------------
def layout(title: str, body: str, style: str = '<link rel="stylesheet" href="/widget/portal.css">') -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title>{style}</head><body>{body}</body></html>")


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf_token" value="{escape(token)}">'


def when(iso: Optional[str]) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=timezone.utc)
    return moment.strftime("%d %b %Y, %H:%M UTC")


def _rows(items: List[Dict[str, str]]) -> str:
    return "".join(f"<tr><th scope=\"row\">{escape(a['label'])}</th><td>{escape(a['value'])}</td></tr>"
                   for a in items)


def chart_alt(series: List[Dict[str, Any]]) -> str:
    points = "; ".join(f"{p['date']}: trust {p['trust']}, safety {p['safety']}" for p in series)
    return "Chart of trust and safety ratings by session date. " + (points or "No check-ins yet.")


def summary_body(data: Dict[str, Any], chart_src: str, csrf: Optional[str], client_id: str) -> str:
    """The summary's sections, flags first. Forms only on the live page (csrf given)."""
    parts = []
    if data["flags"]:
        items = []
        for flag in data["flags"]:
            form = ""
            if csrf:
                form = (f'<form method="post" action="{PREFIX}/clients/{escape(client_id)}/flags/{flag["id"]}/acknowledge">'
                        f'{csrf_field(csrf)}<button type="submit">Acknowledge</button></form>')
            items.append(f"<li><strong>{escape(CATEGORY_NAMES.get(flag['category'], flag['category']))}</strong>"
                         f" &middot; {escape(when(flag['at']))}{form}</li>")
        parts.append('<section class="flags" aria-labelledby="flags-title"><h2 id="flags-title">'
                     "Safety flags not yet acknowledged</h2><p>The escalation message with the practice's "
                     f"numbers was shown to the client.</p><ul>{''.join(items)}</ul></section>")
    if data.get("help_requests"):
        parts.append('<section><h2>Asked for the help contacts</h2><p>The client asked for urgent help without '
                     "other signs of risk; the help contacts were shown: "
                     + ", ".join(escape(when(at)) for at in data["help_requests"]) + ".</p></section>")
    latest = data["latest_checkin"]
    parts.append('<section><h2>Latest check-in</h2>' +
                 (f'<table>{_rows(latest["answers"])}</table>' if latest else "<p>No check-in yet.</p>") +
                 "</section>")
    parts.append(f'<section><h2>Trust and safety across sessions</h2><img class="chart" src="{chart_src}" '
                 f'alt="{escape(chart_alt(data["series"]))}"></section>')
    parts.append("<section><h2>Holding back: checklist items ticked</h2>" +
                 ("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in data["checklist"]) + "</ul>"
                  if data["checklist"] else "<p>None ticked, or not shared.</p>") + "</section>")
    parts.append("<section><h2>Worksheet answers</h2>" +
                 (f"<table>{_rows(data['worksheet'])}</table>" if data["worksheet"] else "<p>None yet.</p>") +
                 "</section>")
    parts.append("<section><h2>Agenda items and drafts</h2>" +
                 ("<ul>" + "".join(f"<li><span class=\"source\">{escape(a['source'])}</span> {escape(a['text'])}</li>"
                                   for a in data["agenda"]) + "</ul>" if data["agenda"] else "<p>None.</p>") +
                 "</section>")
    parts.append("<section><h2>Closing reflection</h2>" +
                 (f"<table>{_rows(data['closing'])}</table>" if data["closing"] else "<p>Not done yet.</p>") +
                 "</section>")
    return "".join(parts)


class Who:
    def __init__(self, clinician_id: int, username: str, csrf: str, admin: bool = False) -> None:
        self.id, self.username, self.csrf, self.admin = clinician_id, username, csrf, admin

    @property
    def actor(self) -> str:
        return f"clinician:{self.username}"


def add_routes(app: Sanic, settings: Settings) -> None:
    # Beyond this machine the cookies are `__Host-` ones: Secure, for the whole
    # host and no other, so no other site or subdomain can set or read them.
    secure = settings.cookies_secure
    session_cookie, login_cookie = (f"__Host-{name}" if secure else name
                                    for name in (auth.SESSION_COOKIE, auth.LOGIN_CSRF_COOKIE))
    secret = portal_secret(settings)
    throttle = auth.Throttle()

    def set_cookie(reply, name: str, value: str, max_age: int) -> None:
        reply.cookies[name] = value
        cookie = reply.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/" if secure else PREFIX
        cookie["max-age"] = max_age
        if secure:
            cookie["secure"] = True

    def who(request: Request) -> Optional[Who]:
        token = request.cookies.get(session_cookie)
        if not token:
            return None
        with unit_of_work() as session:
            found = repo.signed_in(session, auth.token_hash(token))
            return Who(found[0].id, found[0].username, found[1], found[0].is_admin) if found else None

    @app.signal("http.routing.after")
    async def signed_in_before_the_body(request: Request, **_) -> None:
        """A form sent to a clinician's page (signing in and out aside) needs a
        signed-in session; checked before its body is read."""
        if request.method == "POST" and request.path.startswith(PREFIX) \
                and request.path not in (f"{PREFIX}/login", f"{PREFIX}/logout") \
                and await asyncio.to_thread(who, request) is None:
            raise Unauthorized("Please sign in again.")

    def owns(person: Who, client_id: str) -> bool:
        if not valid_client_id(client_id):
            return False
        with unit_of_work() as session:
            return repo.is_clients_clinician(session, person.id, client_id)

    def not_found():
        return response.html(layout("Not found", "<main><h1>Not found</h1><p>There is no such client among "
                                    f'yours. <a href="{PREFIX}/">Your clients</a></p></main>'), status=404)

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

    def login_page(message: str = "", status: int = 200):
        token = auth.signed_csrf(secret)
        alert = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
        body = (f'<main class="login"><h1>Clinician sign-in</h1>{alert}'
                f'<form method="post" action="{PREFIX}/login">{csrf_field(token)}'
                '<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>'
                '<label for="password">Password</label><input id="password" name="password" type="password" '
                'autocomplete="current-password" required><button type="submit">Sign in</button></form></main>')
        reply = response.html(layout("Clinician sign-in", body), status=status)
        set_cookie(reply, login_cookie, token, 3600)
        return reply

    @app.get(f"{PREFIX}/login")
    async def login_form(_request: Request):
        return login_page()

    @app.post(f"{PREFIX}/login")
    async def login(request: Request):
        if not auth.signed_csrf_ok(secret, request.cookies.get(login_cookie), request.form.get("csrf_token")):
            return login_page("The form had expired. Please sign in again.", status=403)
        result = await asyncio.to_thread(auth.sign_in, (request.form.get("username") or "").strip(),
                                         request.form.get("password") or "", request.remote_addr or request.ip,
                                         throttle)
        if not result.ok:
            return login_page(result.message, status=401)
        reply = response.redirect(f"{PREFIX}/")
        set_cookie(reply, session_cookie, result.session_token or "", auth.SESSION_HOURS * 3600)
        set_cookie(reply, login_cookie, "", 0)
        return reply

    @app.post(f"{PREFIX}/logout")
    async def logout(request: Request):
        person = who(request)
        if person and auth.csrf_ok(person.csrf, request.form.get("csrf_token")):
            with unit_of_work() as session:
                repo.close_session(session, auth.token_hash(request.cookies[session_cookie]))
        reply = to_login()
        set_cookie(reply, session_cookie, "", 0)
        return reply

    def header(person: Who) -> str:
        return (f'<header class="bar no-print"><span>Signed in as {escape(person.username)}</span>'
                f'<a href="{PREFIX}/">Your clients</a><a href="{PREFIX}/audit">Audit log</a>'
                + (f'<a href="{ADMIN}/clinicians">Clinicians</a><a href="{ADMIN}/audit">Audit log (all)</a>'
                   if person.admin else "") +
                f'<form method="post" action="{PREFIX}/logout">{csrf_field(person.csrf)}'
                '<button type="submit">Sign out</button></form></header>')

    @app.get(f"{PREFIX}/")
    async def clients(request: Request):
        person, refusal = gate(request)
        if refusal:
            return refusal
        with unit_of_work() as session:
            ids = repo.clients_of(session, person.id)
        rows = []
        for client_id in ids:
            flags = len(service.summary_of(client_id)["flags"])
            badge = f' <strong class="flag-count">{flags} safety flag{"s" if flags != 1 else ""}</strong>' if flags else ""
            rows.append(f'<li><a href="{PREFIX}/clients/{escape(client_id)}">{escape(client_id)}</a>{badge}</li>')
        body = header(person) + ("<main><h1>Your clients</h1>" +
                                 (f"<ul>{''.join(rows)}</ul>" if rows else "<p>No clients assigned yet.</p>") + "</main>")
        return response.html(layout("Your clients", body))

    @app.get(f"{PREFIX}/clients/<client_id:str>")
    async def client_summary(request: Request, client_id: str):
        person, refusal = gate(request, client_id)
        if refusal:
            return refusal
        data = service.summary_of(client_id)
        audit(person, "viewed_summary", client_id)
        base = f"{PREFIX}/clients/{escape(client_id)}"
        body = (header(person) + f'<main class="summary"><h1>Pre-session summary: {escape(client_id)}</h1>'
                f'<p class="meta">Prepared {escape(when(datetime.utcnow().isoformat(timespec="seconds")))}. '
                f'<span class="no-print">Download: <a href="{base}/summary.html">HTML</a> &middot; '
                f'<a href="{base}/summary.csv">CSV</a> &middot; print it from your browser (one page).</span></p>'
                + summary_body(data, f"{base}/chart.png", person.csrf, client_id) + "</main>")
        return response.html(layout(f"Summary {client_id}", body))

    @app.get(f"{PREFIX}/clients/<client_id:str>/chart.png")
    async def chart(request: Request, client_id: str):
        if gate(request, client_id)[1]:
            return not_found()
        return response.raw(summary.chart_png(service.summary_of(client_id)["series"]), content_type="image/png")

    @app.get(f"{PREFIX}/clients/<client_id:str>/summary.html", name="summary_html")
    async def download_html(request: Request, client_id: str):
        return await download(request, client_id, "html")

    @app.get(f"{PREFIX}/clients/<client_id:str>/summary.csv", name="summary_csv")
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
        png = base64.b64encode(summary.chart_png(data["series"])).decode()
        style = f"<style>{(STATIC / 'portal.css').read_text()}</style>"
        body = (f'<main class="summary"><h1>Pre-session summary: {escape(client_id)}</h1>'
                + summary_body(data, f"data:image/png;base64,{png}", None, client_id) + "</main>")
        return response.html(layout(f"Summary {client_id}", body, style), headers=disposition)

    @app.post(f"{PREFIX}/clients/<client_id:str>/flags/<flag_id:int>/acknowledge")
    async def acknowledge(request: Request, client_id: str, flag_id: int):
        person, refusal = gate(request, client_id)
        if refusal:
            return refusal
        if not auth.csrf_ok(person.csrf, request.form.get("csrf_token")):
            return response.html(layout("Expired", "<main><p>The form had expired. Please go back and try "
                                        "again.</p></main>"), status=403)
        with unit_of_work() as session:
            if not repo.acknowledge(session, client_id, flag_id, person.username):
                return not_found()
            repo.audit(session, person.actor, "acknowledged_flag", client_id, f"flag {flag_id}")
        return response.redirect(f"{PREFIX}/clients/{client_id}")

    @app.get(f"{PREFIX}/audit")
    async def audit_log(request: Request):
        person, refusal = gate(request)
        if refusal:
            return refusal
        with unit_of_work() as session:
            entries = repo.audit_entries(session, repo.clients_of(session, person.id))
        rows = "".join(
            f"<tr><td>{escape(e['at'].strftime('%d %b %Y %H:%M'))}</td><td>{escape(e['actor'])}</td>"
            f"<td>{escape(e['action'])}</td><td>{escape(e['client_id'] or '')}</td><td>{escape(e['detail'] or '')}</td></tr>"
            for e in entries)
        body = header(person) + ("<main><h1>Audit log of your clients</h1><table class=\"audit\"><tr><th>When (UTC)</th>"
                                 "<th>Who</th><th>What</th><th>Client</th><th>Detail</th></tr>" + rows + "</table></main>")
        return response.html(layout("Audit log", body))

    add_admin_routes(app, gate, header, layout, csrf_field)
