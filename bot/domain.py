"""Builds `domain/flows.yml` (slots, forms and questions) from `bot.worksheet`,
so the worksheet's wording has one source. `python -m bot domain` writes it;
a unit test fails when the committed file is out of date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot import worksheet
from bot.settings import PROJECT_ROOT

GENERATED = PROJECT_ROOT / "domain" / "flows.yml"
HEADER = "# Generated from bot/worksheet.py by `python -m bot domain`. Do not edit by hand.\n"


def _buttons(slot: str) -> List[Dict[str, str]]:
    if slot == worksheet.INTRO_SLOT:
        return [{"title": "Yes, please", "payload": "/affirm"}, {"title": "No, let's start", "payload": "/deny"}]
    if slot == worksheet.CHECKLIST_SLOT:
        return [
            {"title": f"{n}. {item.title}", "payload": str(n)} for n, item in enumerate(worksheet.CHECKLIST, start=1)
        ] + [{"title": "None of these", "payload": "none"}]
    if slot in worksheet.RATING_SLOTS:
        return [{"title": str(n), "payload": str(n)} for n in range(1, 11)]
    if slot in worksheet.DATE_SLOTS:
        return [{"title": "Today", "payload": "today"}, {"title": "Yesterday", "payload": "yesterday"}]
    if slot in worksheet.OPTIONAL_SLOTS:
        return [{"title": "That's all", "payload": "that's all"}]
    return []


def build() -> Dict[str, Any]:
    slots: Dict[str, Any] = {}
    responses: Dict[str, Any] = {}
    for slot in worksheet.QUESTIONS:
        # The tracker only keeps a marker (stored / skipped / none): the
        # answer itself lives encrypted in the reflection store.
        slots[slot] = {"type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}
        question = worksheet.QUESTIONS[slot]
        text = worksheet.checklist_text() if slot == worksheet.CHECKLIST_SLOT else question.text
        variant: Dict[str, Any] = {"text": text}
        if _buttons(slot):
            variant["buttons"] = _buttons(slot)
        responses[f"utter_ask_{slot}"] = [variant]
    responses["utter_what_to_know"] = [{"text": worksheet.WHAT_TO_KNOW}]
    forms = {f"{flow}_form": {"required_slots": list(slots_)} for flow, slots_ in worksheet.FLOWS.items()}
    return {"version": "3.1", "slots": slots, "forms": forms, "responses": responses}


def render() -> str:
    return HEADER + yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=100)


def write(path: Path = GENERATED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
