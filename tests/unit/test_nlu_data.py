"""The held-out NLU test set stays held out: none of its examples is trained on."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _examples(path: Path) -> dict:
    out = {}
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip()[2:].strip().lower()
            if text:
                out.setdefault(text, set()).add(block["intent"])
    return out


def test_heldout_examples_are_not_in_training_and_intents_do_not_overlap():
    training = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for text, intents in _examples(path).items():
            training.setdefault(text, set()).update(intents)
    heldout = _examples(ROOT / "tests" / "nlu" / "heldout.yml")
    assert len(heldout) >= 250
    assert set(heldout) & set(training) == set()
    assert [t for t, intents in training.items() if len(intents) > 1] == []
