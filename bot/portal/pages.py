"""The HTML of the clinician's and the admin pages: Jinja2 templates in
`templates/` (a layout, `base.html`, and a template per page). Every value is
escaped (autoescape); a template that names a value it was not given fails."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import response
from sanic.response import HTTPResponse

from bot.portal import ADMIN, CLINICIAN, TEMPLATES


def when(iso: Optional[str]) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=timezone.utc)
    return moment.strftime("%d %b %Y, %H:%M UTC")


environment = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
)
environment.globals.update(CLINICIAN=CLINICIAN, ADMIN=ADMIN)
environment.filters["when"] = when


def render(template: str, status: int = 200, headers: Optional[Dict[str, str]] = None, **context: Any) -> HTTPResponse:
    return response.html(environment.get_template(template).render(context), status=status, headers=headers)
