"""The newest conversation set through the running servers: prints, per kind
and per state, how many messages in the clients' own words were handled as
they must be (recorded in tests/conversation/README.md, not a gate: the
figure on a fresh set is what counts). What is asserted is that every message
was sent in the state it was written for, and that the set is a real one."""

from scripts.conversation_report import SETS, Client, latest_set, load, report


def test_the_newest_conversation_set_is_run_in_its_states(servers, capsys):
    folder = latest_set()
    entries = load(folder)
    assert len(entries) >= 300 and folder.parent == SETS
    with capsys.disabled():
        print(f"\nConversation set {folder.name} through the running servers:")
        figures = report(entries, Client(f"http://127.0.0.1:{servers.rasa_port}"))
    assert figures["n"] == len(entries)
    assert figures["unreached"] == 0
