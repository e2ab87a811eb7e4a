"""The practice's operations from the command line (`python -m bot ...`):
schema migrations, backup and restore, retention and the periodic
housekeeping the supervisor runs. Each prints what it did, never content."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from bot.settings import get_settings

logger = logging.getLogger("bot.housekeeping")


def migrate(_args) -> int:
    from bot.store import schema
    from bot.store.db import raw_engine

    before, after = schema.migrate(raw_engine(get_settings().database_url))
    if before == after:
        print(f"The reflections store is up to date (schema {after}).")
    else:
        print(f"The reflections store is now at schema {after} (it was {before or 'empty'}).")
    return 0


def backup(args) -> int:
    from bot.store.backup import BackupError, backup as write

    target = Path(args.file)
    try:
        sizes = write(target)
    except BackupError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Wrote {target} ({', '.join(f'{name} {size:,} bytes' for name, size in sizes.items())}).")
    print("It is encrypted with the answer key, which is not in it: keep the key somewhere else.")
    return 0


def restore(args) -> int:
    from bot.store.backup import BackupError, restore as read

    try:
        sizes = read(Path(args.file), Path(args.key_file))
    except BackupError as problem:
        print(problem, file=sys.stderr)
        return 2
    print(
        f"Restored {', '.join(sizes)} from {args.file}. Start the servers (make run) and check a client's "
        "export or the portal."
    )
    return 0


def retention(args) -> int:
    from bot.store import retention as policy

    settings = get_settings()
    days = settings.retention_days if args.days is None else args.days
    if days <= 0:
        print("Retention is off (RETENTION_DAYS is 0): nothing is deleted for age.")
        return 0
    outcome = policy.run(days, dry_run=args.dry_run, settings=settings)
    verb = "Would delete" if args.dry_run else "Deleted"
    print(
        f"{verb} the answers and conversations of {len(outcome.clients)} client(s) inactive for over "
        f"{days} days ({outcome.events} conversation events); kept {outcome.kept_flagged} with a risk flag "
        "not yet acknowledged."
    )
    return 0


def housekeeping(args) -> int:
    """One pass, or one every `--every` seconds (the supervisor keeps it running)."""
    from bot import service
    from bot.portal.app import DEMO_TOKEN_HOURS
    from bot.safety.webhook import DEMO_CLIENT_PREFIX
    from bot.store import retention as policy

    logging.basicConfig(level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    while True:
        try:
            outcome = policy.run()
            demo = service.forget_demo_clients(DEMO_CLIENT_PREFIX, DEMO_TOKEN_HOURS)
            logger.info(
                "Housekeeping: retention removed %d client(s) (%d kept for open flags); "
                "%d demo visitor(s) forgotten",
                len(outcome.clients),
                outcome.kept_flagged,
                demo,
            )
        except Exception as problem:  # noqa: BLE001 - logged; the next pass tries again
            logger.error("Housekeeping failed: %s", type(problem).__name__, exc_info=problem)
        if args.every <= 0:
            return 0
        time.sleep(args.every)
