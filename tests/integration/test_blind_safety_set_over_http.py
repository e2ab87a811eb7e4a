"""The newest blind safety set through the running servers: prints recall and
the false-escalation rate per kind and per state (recorded in
tests/safety/README.md, not a gate: the code is never tuned on it). What is
asserted is that every message was sent in the state it was written for and
got a reply."""

from scripts.blind_report import BLIND, Client, latest_set, load, report


def test_the_newest_blind_set_is_run_in_its_states(servers, capsys):
    folder = latest_set()
    entries = load(folder)
    assert len(entries) >= 400 and folder.parent == BLIND
    with capsys.disabled():
        print(f"\nBlind safety set {folder.name} through the running servers:")
        figures = report(entries, Client(f"http://127.0.0.1:{servers.rasa_port}"))
    assert figures["n"] == len(entries)
    assert figures["unreached"] == 0
