from pathlib import Path

import yaml

from bot import domain, worksheet

ROOT = Path(__file__).resolve().parents[2]


def test_generated_domain_is_up_to_date():
    assert (ROOT / "domain" / "flows.yml").read_text() == domain.render(), "run `python -m bot domain`"


def test_every_question_keeps_the_worksheet_wording():
    responses = yaml.safe_load((ROOT / "domain" / "flows.yml").read_text())["responses"]
    assert responses["utter_ask_q4_safety_conditions"][0]["text"] == (
        "What specific conditions do you need in therapy to feel safe?"
    )
    checklist = responses["utter_ask_holding_back"][0]["text"]
    assert checklist.startswith("If you are holding back in therapy sessions, trust may be lacking.")
    for item in worksheet.CHECKLIST:
        assert item.title in checklist
    assert len(worksheet.CHECKLIST) == 8 and len(worksheet.REFLECTION_QUESTIONS) == 10


def test_every_response_the_code_names_exists():
    core = yaml.safe_load((ROOT / "domain" / "core.yml").read_text())["responses"]
    flows = yaml.safe_load((ROOT / "domain" / "flows.yml").read_text())["responses"]
    names = set(core) | set(flows)
    sources = [ROOT / "bot" / "turns.py", ROOT / "bot" / "dialogue.py", *sorted((ROOT / "actions").glob("*.py"))]
    code = "".join(path.read_text() for path in sources)
    import re

    used = set(re.findall(r'"(utter_[a-z_]+)"', code))
    assert used and used <= names, used - names
