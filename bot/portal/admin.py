"""The portal's admin pages, for a clinician with the admin flag (`python -m
bot add-clinician NAME --admin`): every clinician, with disable, enable and
remove (each signs them out at once, and is audited), and the whole audit log
with filters. To anyone else these pages do not exist (404)."""
from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from typing import Callable, Optional
from urllib.parse import urlencode

from sanic import Sanic, response
from sanic.request import Request

from bot.portal import auth
from bot.store import clinicians as repo
from bot.store.db import unit_of_work

PREFIX = "/clinician/admin"
ACTIONS = {"disable": "disabled_clinician", "enable": "enabled_clinician", "remove": "removed_clinician"}
AUDIT_LIMIT = 500
FILTERS = ("actor", "action", "client", "since", "until")


def _day(text: str) -> Optional[datetime]:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d") if text.strip() else None
    except ValueError:
        return None


def add_admin_routes(app: Sanic, gate: Callable, header: Callable, layout: Callable, csrf_field: Callable) -> None:
    def admin_gate(request: Request):
        person, refusal = gate(request)
        if refusal:
            return None, refusal
        if not person.admin:
            return None, response.html(layout("Not found", "<main><h1>Not found</h1></main>"), status=404)
        return person, None

    def page(person, title: str, inner: str, status: int = 200):
        return response.html(layout(title, header(person) + f"<main><h1>{escape(title)}</h1>{inner}</main>"),
                             status=status)

    @app.get(f"{PREFIX}/clinicians")
    async def clinicians(request: Request):
        person, refusal = admin_gate(request)
        return refusal or clinicians_page(person)

    def clinicians_page(person, message: str = "", status: int = 200):
        with unit_of_work() as session:
            everyone = repo.all_clinicians(session)
        rows = []
        for c in everyone:
            name = escape(c["username"])
            state = "disabled" if c["disabled_at"] else "active"
            forms = ""
            if c["username"] != person.username:  # an admin cannot lock themselves out
                toggle = "enable" if c["disabled_at"] else "disable"
                forms = "".join(
                    f'<form method="post" action="{PREFIX}/clinicians/{name}/{verb}">{csrf_field(person.csrf)}'
                    f'<button type="submit">{label}</button></form>'
                    for verb, label in ((toggle, toggle.capitalize()), ("remove", "Remove")))
            rows.append(f"<tr><td>{name}</td><td>{'admin' if c['admin'] else ''}</td><td>{state}</td>"
                        f"<td>{c['clients']}</td><td>{escape(c['created_at'].strftime('%d %b %Y'))}</td>"
                        f"<td>{forms}</td></tr>")
        alert = f'<p class="notice" role="status">{escape(message)}</p>' if message else ""
        inner = (alert + "<p>Disabling or removing a clinician signs them out of every browser at once. A removed "
                 "clinician's clients keep their reflections and need a new clinician "
                 "(<code>python -m bot assign CLIENT USERNAME</code>). "
                 f'<a href="{PREFIX}/audit">Audit log</a></p>'
                 '<table class="audit"><tr><th>Username</th><th>Role</th><th>State</th><th>Clients</th>'
                 f"<th>Added</th><th></th></tr>{''.join(rows)}</table>")
        return page(person, "Clinicians", inner, status)

    @app.post(f"{PREFIX}/clinicians/<username:str>/<verb:str>")
    async def change_clinician(request: Request, username: str, verb: str):
        person, refusal = admin_gate(request)
        if refusal:
            return refusal
        if verb not in ACTIONS:
            return page(person, "Not found", "", 404)
        if not auth.csrf_ok(person.csrf, request.form.get("csrf_token")):
            return page(person, "Expired", "<p>The form had expired. Please go back and try again.</p>", 403)
        if username == person.username:
            return clinicians_page(person, "You cannot disable or remove yourself; ask another admin.", 400)
        with unit_of_work() as session:
            clinician = repo.clinician_named(session, username)
            if clinician is None:
                return clinicians_page(person, f"There is no clinician {username}.", 404)
            if verb == "remove":
                count = repo.remove_clinician(session, clinician)
                detail, message = f"{username}, clients={count}", (
                    f"Removed {username}; {count} client(s) now have no clinician.")
            else:
                repo.disable_clinician(session, clinician, verb == "disable")
                detail, message = username, (f"{username} can sign in again." if verb == "enable" else
                                             f"{username} cannot sign in now and is signed out everywhere.")
            repo.audit(session, person.actor, ACTIONS[verb], None, detail)
        return clinicians_page(person, message)

    @app.get(f"{PREFIX}/audit")
    async def whole_audit_log(request: Request):
        person, refusal = admin_gate(request)
        if refusal:
            return refusal
        given = {name: (request.args.get(name) or "")[:128] for name in FILTERS}
        since, until = _day(given["since"]), _day(given["until"])
        with unit_of_work() as session:
            entries = repo.audit_entries(session, limit=AUDIT_LIMIT, actor=given["actor"], action=given["action"],
                                         client=given["client"], since=since,
                                         until=until + timedelta(days=1) if until else None)
        fields = "".join(
            f'<label>{label} <input name="{name}" value="{escape(given[name])}"'
            f'{" type=date" if name in ("since", "until") else ""}></label>'
            for name, label in (("actor", "Who"), ("action", "What"), ("client", "Client"),
                                ("since", "From"), ("until", "To")))
        rows = "".join(
            f"<tr><td>{escape(e['at'].strftime('%d %b %Y %H:%M'))}</td><td>{escape(e['actor'])}</td>"
            f"<td>{escape(e['action'])}</td><td>{escape(e['client_id'] or '')}</td><td>{escape(e['detail'] or '')}</td></tr>"
            for e in entries)
        shown = (f"<p>{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
                 + (f" (the newest {AUDIT_LIMIT}; narrow the filters to see older ones)" if len(entries) == AUDIT_LIMIT
                    else "") + f'. <a href="{PREFIX}/audit?{escape(urlencode({k: v for k, v in given.items() if v}))}">'
                 "Link to this view</a></p>")
        inner = (f'<form method="get" action="{PREFIX}/audit" class="filters">{fields}<button type="submit">Filter'
                 f'</button> <a href="{PREFIX}/audit">Clear</a></form>{shown}<table class="audit"><tr><th>When (UTC)'
                 f"</th><th>Who</th><th>What</th><th>Client</th><th>Detail</th></tr>{rows}</table>")
        return page(person, "Audit log (all)", inner)
