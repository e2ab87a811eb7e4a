"""The clinician's pre-session summary of one client: built from the client's
export, leaving out what the client keeps private. The same summary is shown
to the clinician (HTML, CSV) and to the client ("what will my therapist see?").
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from bot import worksheet

Private = Set[Tuple[str, str, str]]  # (flow, run, field)
MAIN_RUN = "main"


HELP_REQUEST = "help_request"


def _text(slot: str, value: Any) -> str:
    if slot in worksheet.RATING_SLOTS:
        return f"{value}/10"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _answers(section: Dict[str, Any], flow: str, run: str, private: Private) -> List[Dict[str, str]]:
    out = []
    for slot in worksheet.FLOWS[flow]:
        entry = section.get(slot)
        if not entry or entry.get("status") != "answered" or (flow, run, slot) in private:
            continue
        out.append(
            {
                "field": slot,
                "label": worksheet.QUESTIONS[slot].label,
                "value": _text(slot, entry["value"]),
                "at": entry.get("at") or "",
            }
        )
    return out


def _day(value: Any, fallback: Optional[str]) -> Optional[date]:
    for candidate in (value, (fallback or "")[:10]):
        try:
            return date.fromisoformat(str(candidate)[:10])
        except ValueError:
            continue
    return None


def build(export: Dict[str, Any], private: Private) -> Dict[str, Any]:
    """What the clinician sees, in the order of the page."""
    checkins = []  # (the session's day, the order entered, the check-in)
    series = []
    for order, checkin in enumerate(export.get("checkins", [])):
        run = checkin["id"]
        answers = _answers(checkin, "checkin", run, private)
        shown = {a["field"] for a in answers}
        when = (
            _day(checkin["session_date"]["value"] if "session_date" in shown else None, answers[0]["at"])
            if answers
            else None
        )
        if answers:
            checkins.append((when.isoformat() if when else "", order, {"id": run, "answers": answers}))
        if {"trust_rating", "safety_rating"} & shown:
            series.append(
                {
                    "date": when.isoformat() if when else None,
                    "trust": checkin["trust_rating"]["value"] if "trust_rating" in shown else None,
                    "safety": checkin["safety_rating"]["value"] if "safety_rating" in shown else None,
                }
            )
    checklist = export.get("checklist")
    checklist_items = []
    if (
        checklist
        and checklist.get("status") == "answered"
        and ("worksheet", MAIN_RUN, worksheet.CHECKLIST_SLOT) not in private
    ):
        checklist_items = list(checklist.get("items") or [])
    agenda = []
    for item in export.get("agenda_items", []):
        key = (
            ("checkin", item["checkin"], "agenda_item")
            if item["source"] == "checkin"
            else ("draft", item["draft"], "draft_text")
        )
        if key not in private:
            agenda.append({"source": item["source"], "text": item["text"], "at": item["at"]})
    return {
        "client_id": export["client_id"],
        "flags": [
            {"id": e["id"], "at": e["at"], "category": e["category"]}
            for e in export.get("escalations", [])
            if not e.get("acknowledged_at") and e["category"] != HELP_REQUEST
        ],
        # "help me", "sos" alone: the help contacts were shown; not a risk flag.
        "help_requests": [e["at"] for e in export.get("escalations", []) if e["category"] == HELP_REQUEST],
        # the latest session, not the check-in entered last (a late one about an older session)
        "latest_checkin": max(checkins, key=lambda c: c[:2])[2] if checkins else None,
        "series": sorted((p for p in series if p["date"]), key=lambda p: p["date"]),
        "checklist": checklist_items,
        "worksheet": _answers(export.get("worksheet_answers", {}), "worksheet", MAIN_RUN, private),
        "agenda": agenda,
        "closing": _answers(export.get("closing_reflection", {}), "closing", MAIN_RUN, private),
    }


def as_text(summary: Dict[str, Any]) -> str:
    """The summary in words, for the client in the chat."""
    parts: List[str] = []

    def block(title: str, lines: Iterable[str]) -> None:
        lines = list(lines)
        if lines:
            parts.append(title + "\n" + "\n".join(f"- {line}" for line in lines))

    block(
        "At the top, until your therapist has read it: the safety message was shown to you",
        (f"on {f['at'][:10]} ({f['category'].replace('_', ' ')})" for f in summary["flags"]),
    )
    latest = summary["latest_checkin"]
    block("Your latest check-in:", (f"{a['label']}: {a['value']}" for a in latest["answers"]) if latest else [])
    if len(summary["series"]) > 1:
        parts.append(f"A chart of your trust and safety ratings over {len(summary['series'])} check-ins.")
    block("What you ticked on the checklist:", summary["checklist"])
    block("Your worksheet answers:", (f"{a['label']}: {a['value']}" for a in summary["worksheet"]))
    block("To bring up next session:", (a["text"] for a in summary["agenda"]))
    block("Your closing reflection:", (f"{a['label']}: {a['value']}" for a in summary["closing"]))
    if not parts:
        return "Your therapist will see nothing of what you wrote yet: nothing is saved, or you kept it all private."
    return "Your therapist will see exactly this before your next session:\n\n" + "\n\n".join(parts)


def rows(summary: Dict[str, Any]) -> List[List[str]]:
    """The summary as table rows: section, item, value, time."""
    out = [["section", "item", "value", "at"]]
    out += [["safety flag", f["category"], "not yet acknowledged", f["at"]] for f in summary["flags"]]
    out += [["trust and safety", p["date"], f"trust {p['trust']}, safety {p['safety']}", ""] for p in summary["series"]]
    out += [["checklist", item, "ticked", ""] for item in summary["checklist"]]
    if summary["latest_checkin"]:
        out += [["latest check-in", a["label"], a["value"], a["at"]] for a in summary["latest_checkin"]["answers"]]
    out += [["worksheet", a["label"], a["value"], a["at"]] for a in summary["worksheet"]]
    out += [["agenda", a["source"], a["text"], a["at"]] for a in summary["agenda"]]
    out += [["closing reflection", a["label"], a["value"], a["at"]] for a in summary["closing"]]
    return out


def as_csv(summary: Dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(summary):
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in map(str, row)])
    return buffer.getvalue()


def chart_png(series: List[Dict[str, Any]]) -> bytes:
    """Trust and safety across sessions (dates on the x axis), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 2.6), dpi=110)
    try:
        days = [datetime.fromisoformat(p["date"]) for p in series]
        for key, label, colour, marker in (("trust", "Trust", "#1d5a85", "o"), ("safety", "Safety", "#a3201f", "s")):
            points = [(d, p[key]) for d, p in zip(days, series) if p[key] is not None]
            if points:
                axes.plot(
                    [d for d, _ in points],
                    [v for _, v in points],
                    marker=marker,
                    color=colour,
                    label=label,
                    linewidth=2,
                )
        axes.set_ylim(0.5, 10.5)
        axes.set_yticks(range(1, 11))
        axes.set_ylabel("Rating (1-10)")
        axes.set_xlabel("Session date")
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        axes.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
        axes.grid(True, alpha=0.3)
        axes.set_title("Trust and safety across sessions")
        if not series:
            axes.text(0.5, 0.5, "No check-ins yet", transform=axes.transAxes, ha="center")
        else:
            axes.legend(loc="lower left")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)
