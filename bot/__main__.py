"""Command line: `python -m bot <command>`.

export CLIENT_ID   print everything stored for a client as JSON
domain [--check]   regenerate (or check) domain/flows.yml from bot/worksheet.py
check-settings     print the practice's contacts; warn while examples are in use
mint-link CLIENT_ID [--hours H]
                   print a chat link (and its token) for one pseudonymous client
cors-origins       print the web origins allowed to call the Rasa server
add-clinician USERNAME   create a clinician (or set a new password); asks for it
assign CLIENT_ID USERNAME
                   make USERNAME the clinician of CLIENT_ID
disable-clinician USERNAME [--enable]
                   stop (or allow again) USERNAME signing in; signs them out at once
remove-clinician USERNAME
                   remove USERNAME (their clients' reflections stay, unassigned)
audit              print the audit log (newest first)
rotate-keys        re-encrypt answers and conversations with the newest key
migrate            bring the store's schema up to date (make run does it)
backup FILE        write an encrypted backup of the stores (not the key)
restore FILE --key-file KEY
                   bring a backup back into an empty installation
retention [--days N] [--dry-run]
                   delete what is past RETENTION_DAYS after a client's last activity
housekeeping [--every SECONDS]
                   retention, expired demo visitors and links; again every SECONDS
"""

from __future__ import annotations

import argparse
import json
import sys


def printable(text: str) -> str:
    """Text for a terminal: control characters (which could rewrite the
    screen or forge a line) shown as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


OPERATIONS = ("migrate", "backup", "restore", "retention", "housekeeping")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="print a client's data as JSON")
    export.add_argument("client_id")
    generated = commands.add_parser("domain", help="regenerate domain/flows.yml")
    generated.add_argument("--check", action="store_true", help="only say whether it is up to date (exit 1 if not)")
    commands.add_parser("check-settings", help="print the contacts shown in the escalation message")
    mint = commands.add_parser("mint-link", help="print a client's chat link and token")
    mint.add_argument("client_id", help="the pseudonymous client id (never a name)")
    mint.add_argument("--hours", type=float, default=72, help="how long the link works (default 72, at most 168)")
    commands.add_parser("cors-origins", help="print the allowed web origins, space separated")
    add = commands.add_parser("add-clinician", help="create a clinician or set a new password")
    add.add_argument("username")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--admin", action="store_true", default=None, help="may use the portal's admin pages")
    assign = commands.add_parser("assign", help="make a clinician the clinician of a client")
    assign.add_argument("client_id")
    assign.add_argument("username")
    disable = commands.add_parser("disable-clinician", help="stop a clinician signing in; signs them out")
    disable.add_argument("username")
    disable.add_argument("--enable", action="store_true", help="let them sign in again")
    remove = commands.add_parser("remove-clinician", help="remove a clinician and their assignments")
    remove.add_argument("username")
    commands.add_parser("audit", help="print the audit log")
    commands.add_parser("rotate-keys", help="re-encrypt everything with the newest key")
    commands.add_parser("risk-model", help="fit the risk classifier for the current corpus (cached in models/)")
    commands.add_parser("migrate", help="bring the store's schema up to date")
    backup = commands.add_parser("backup", help="write an encrypted backup (without the key)")
    backup.add_argument("file")
    restore = commands.add_parser("restore", help="restore a backup into an empty installation")
    restore.add_argument("file")
    restore.add_argument("--key-file", required=True, help="a file holding the answer key the backup was made with")
    retention = commands.add_parser("retention", help="delete what is past the retention period")
    retention.add_argument("--days", type=int, default=None, help="instead of RETENTION_DAYS")
    retention.add_argument("--dry-run", action="store_true", help="only count what would go")
    keeping = commands.add_parser("housekeeping", help="retention and clean-ups, repeated")
    keeping.add_argument("--every", type=float, default=0, help="seconds between runs (0: once)")
    args = parser.parse_args(argv)
    if args.command in OPERATIONS:
        from bot import operations

        return getattr(operations, args.command)(args)

    if args.command == "export":
        from bot import service

        json.dump(service.export(args.client_id), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.command == "risk-model":
        from bot.safety.classifier import build, classifier

        path = build()
        limits = classifier().thresholds
        print(
            f"{path.name}: thresholds risk {limits.risk:.3f}, ask {limits.ask:.3f}; validation "
            + ", ".join(f"{k} {v:.1%}" for k, v in limits.validation.items())
        )
    elif args.command == "domain":
        from bot import domain

        if args.check:
            if domain.GENERATED.read_text(encoding="utf-8") != domain.render():
                print(
                    f"{domain.GENERATED} is out of date with bot/worksheet.py: run `python -m bot domain` "
                    "and commit it.",
                    file=sys.stderr,
                )
                return 1
            print(f"{domain.GENERATED} is up to date.")
        else:
            print(f"wrote {domain.write()}")
    elif args.command == "check-settings":
        from bot.settings import demo_warning, exposure_warnings, get_settings, unsafe_demo_settings

        practice = get_settings().practice
        for name, value in practice.as_template_values().items():
            print(f"  {name}: {value}")
        if practice.example_values_in_use:
            bar = "!" * 78
            print(
                f"\n{bar}\n  EXAMPLE CONTACT DETAILS IN USE: {', '.join(practice.example_values_in_use)}\n"
                f"  Clients in crisis are shown these. Set the practice's own in .env and restart.\n{bar}\n"
            )
        for exposure in exposure_warnings():
            print(f"  WARNING: {exposure}")
        refusal, warning = unsafe_demo_settings(), demo_warning()
        if refusal:
            print(f"\nCannot start: {refusal}", file=sys.stderr)
            return 1
        if warning:
            print(f"\n  WARNING: {warning}")
    elif args.command == "mint-link":
        from bot.channels import tokens
        from bot.settings import get_settings

        try:
            token = tokens.mint(args.client_id, args.hours)
        except ValueError as problem:
            print(problem, file=sys.stderr)
            return 2
        print(f"Link:  {get_settings().portal_url}/demo#reflection-token={token}")
        print(f"Token: {token}")
        print(
            f"Works for {args.hours:g} hours. The link opens the demo page; on the practice's own "
            "site, put the token in the widget's data-token."
        )
    elif args.command == "cors-origins":
        from bot.settings import get_settings

        print(" ".join(get_settings().widget_origins))
    elif args.command == "add-clinician":
        return _add_clinician(args)
    elif args.command in ("disable-clinician", "remove-clinician"):
        from bot.store import clinicians
        from bot.store.db import unit_of_work

        with unit_of_work() as session:
            clinician = clinicians.clinician_named(session, args.username)
            if clinician is None:
                print(f"There is no clinician {args.username}.", file=sys.stderr)
                return 2
            if args.command == "remove-clinician":
                count = clinicians.remove_clinician(session, clinician)
                clinicians.audit(
                    session, "administrator", "removed_clinician", None, f"{args.username}, clients={count}"
                )
                print(f"Removed {args.username}; {count} client(s) now have no clinician (assign them).")
            else:
                clinicians.disable_clinician(session, clinician, not args.enable)
                clinicians.audit(
                    session,
                    "administrator",
                    "enabled_clinician" if args.enable else "disabled_clinician",
                    None,
                    args.username,
                )
                print(
                    f"{args.username} can sign in again."
                    if args.enable
                    else f"{args.username} cannot sign in now, and every browser of theirs is signed out."
                )
    elif args.command == "assign":
        from bot.channels.tokens import valid_client_id
        from bot.store import clinicians
        from bot.store.db import unit_of_work

        if not valid_client_id(args.client_id):
            print('A client id is 1-128 letters, digits and . _ : @ - (no "..")', file=sys.stderr)
            return 2
        with unit_of_work() as session:
            clinician = clinicians.clinician_named(session, args.username)
            if clinician is None:
                print(f"No clinician {args.username!r}; create one with add-clinician.", file=sys.stderr)
                return 2
            clinicians.assign(session, args.client_id, clinician)
            clinicians.audit(session, "administrator", "assigned_client", args.client_id, args.username)
        print(f"{args.client_id} is now a client of {args.username}.")
    elif args.command == "audit":
        from bot.store import clinicians
        from bot.store.db import unit_of_work

        with unit_of_work() as session:
            for e in clinicians.audit_entries(session, limit=10_000):
                print(
                    f"{e['at']:%Y-%m-%d %H:%M:%S}  {printable(e['actor']):<28} {printable(e['action']):<24} "
                    f"{printable(e['client_id'] or '-'):<24} {printable(e['detail'] or '')}"
                )
    elif args.command == "rotate-keys":
        from bot.store import rotation

        counts = rotation.rotate(tracker_db_url=rotation.tracker_url())
        print(
            f"Re-encrypted {counts['answers']} answers and {counts['events']} conversation events "
            "with the newest key. The older keys can now be removed from ANSWER_ENCRYPTION_KEYS."
        )
    return 0


def _add_clinician(args) -> int:
    import getpass

    from bot.portal import auth
    from bot.store import clinicians
    from bot.store.db import unit_of_work

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for {args.username}: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ.", file=sys.stderr)
            return 2
    if len(password) < auth.MIN_PASSWORD_CHARS:
        print(f"Please choose a password of at least {auth.MIN_PASSWORD_CHARS} characters.", file=sys.stderr)
        return 2
    with unit_of_work() as session:
        clinicians.add_clinician(session, args.username, auth.hash_password(password), args.admin)
        clinicians.audit(session, "administrator", "set_clinician_password", None, args.username)
    print(f"Clinician {args.username} can now sign in at the portal's /clinician/login.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
