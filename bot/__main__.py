"""Command line: `python -m bot <command>`.

  export CLIENT_ID   print everything stored for a client as JSON
  domain             regenerate domain/flows.yml from bot/worksheet.py
"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="print a client's data as JSON")
    export.add_argument("client_id")
    commands.add_parser("domain", help="regenerate domain/flows.yml")
    args = parser.parse_args(argv)

    if args.command == "export":
        from bot import service

        json.dump(service.export(args.client_id), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.command == "domain":
        from bot import domain

        print(f"wrote {domain.write()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
