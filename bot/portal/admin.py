"""The portal's admin pages, for a clinician with the admin flag (`python -m
bot add-clinician NAME --admin`): every clinician, with disable, enable and
remove (each signs them out at once, and is audited), and the whole audit log
with filters. To anyone else these pages do not exist (404). The routes are on
the blueprint `bp`, the pages' HTML in `templates/admin_*.html`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional
from urllib.parse import urlencode

from sanic import Blueprint
from sanic.request import Request

from bot.portal import ADMIN as PREFIX, auth
from bot.portal.clinician import Who, gate
from bot.portal.pages import render
from bot.store import clinicians as repo
from bot.store.db import unit_of_work

ACTIONS = {"disable": "disabled_clinician", "enable": "enabled_clinician", "remove": "removed_clinician"}
AUDIT_LIMIT = 500
FILTERS = (("actor", "Who"), ("action", "What"), ("client", "Client"), ("since", "From"), ("until", "To"))

bp = Blueprint("clinician_admin", url_prefix=PREFIX)


def _day(text: str) -> Optional[datetime]:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d") if text.strip() else None
    except ValueError:
        return None


def admin_gate(request: Request):
    person, refusal = gate(request)
    if refusal:
        return None, refusal
    if not person.admin:
        return None, render("not_found.html", status=404, person=None, about_a_client=False)
    return person, None


def page(person: Who, title: str, text: str = "", status: int = 200):
    """An admin page with a heading and at most a line of text."""
    return render("admin_page.html", status=status, person=person, title=title, text=text)


@bp.get("/clinicians")
async def clinicians(request: Request):
    person, refusal = admin_gate(request)
    return refusal or clinicians_page(person)


def clinicians_page(person: Who, message: str = "", status: int = 200):
    with unit_of_work() as session:
        everyone = repo.all_clinicians(session)
    rows = []
    for c in everyone:
        verbs = []
        if c["username"] != person.username:  # an admin cannot lock themselves out
            toggle = "enable" if c["disabled_at"] else "disable"
            verbs = [(toggle, toggle.capitalize()), ("remove", "Remove")]
        rows.append({**c, "state": "disabled" if c["disabled_at"] else "active", "verbs": verbs})
    return render(
        "admin_clinicians.html", status=status, person=person, title="Clinicians", message=message, clinicians=rows
    )


@bp.post("/clinicians/<username:str>/<verb:str>")
async def change_clinician(request: Request, username: str, verb: str):
    person, refusal = admin_gate(request)
    if refusal:
        return refusal
    if verb not in ACTIONS:
        return page(person, "Not found", status=404)
    if not auth.csrf_ok(person.csrf, request.form.get("csrf_token")):
        return page(person, "Expired", "The form had expired. Please go back and try again.", 403)
    if username == person.username:
        return clinicians_page(person, "You cannot disable or remove yourself; ask another admin.", 400)
    with unit_of_work() as session:
        clinician = repo.clinician_named(session, username)
        if clinician is None:
            return clinicians_page(person, f"There is no clinician {username}.", 404)
        if verb == "remove":
            count = repo.remove_clinician(session, clinician)
            detail, message = (
                f"{username}, clients={count}",
                (f"Removed {username}; {count} client(s) now have no clinician."),
            )
        else:
            repo.disable_clinician(session, clinician, verb == "disable")
            detail, message = (
                username,
                (
                    f"{username} can sign in again."
                    if verb == "enable"
                    else f"{username} cannot sign in now and is signed out everywhere."
                ),
            )
        repo.audit(session, person.actor, ACTIONS[verb], None, detail)
    return clinicians_page(person, message)


@bp.get("/audit")
async def whole_audit_log(request: Request):
    person, refusal = admin_gate(request)
    if refusal:
        return refusal
    given = {name: (request.args.get(name) or "")[:128] for name, _ in FILTERS}
    since, until = _day(given["since"]), _day(given["until"])
    with unit_of_work() as session:
        entries = repo.audit_entries(
            session,
            limit=AUDIT_LIMIT,
            actor=given["actor"],
            action=given["action"],
            client=given["client"],
            since=since,
            until=until + timedelta(days=1) if until else None,
        )
    return render(
        "admin_audit.html",
        person=person,
        title="Audit log (all)",
        filters=FILTERS,
        given=given,
        entries=entries,
        limit=AUDIT_LIMIT,
        view=urlencode({k: v for k, v in given.items() if v}),
    )
