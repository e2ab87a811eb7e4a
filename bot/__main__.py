"""Command line: `python -m bot <command>`.

  export CLIENT_ID   print everything stored for a client as JSON
  domain             regenerate domain/flows.yml from bot/worksheet.py
  check-settings     print the practice's contacts; warn while examples are in use
  mint-link CLIENT_ID [--hours H]
                     print a chat link (and its token) for one pseudonymous client
  cors-origins       print the web origins allowed to call the Rasa server
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
    commands.add_parser("check-settings", help="print the contacts shown in the escalation message")
    mint = commands.add_parser("mint-link", help="print a client's chat link and token")
    mint.add_argument("client_id", help="the pseudonymous client id (never a name)")
    mint.add_argument("--hours", type=float, default=72, help="how long the link works (default 72)")
    commands.add_parser("cors-origins", help="print the allowed web origins, space separated")
    args = parser.parse_args(argv)

    if args.command == "export":
        from bot import service

        json.dump(service.export(args.client_id), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.command == "domain":
        from bot import domain

        print(f"wrote {domain.write()}")
    elif args.command == "check-settings":
        from bot.settings import get_settings

        practice = get_settings().practice
        for name, value in practice.as_template_values().items():
            print(f"  {name}: {value}")
        if practice.example_values_in_use:
            bar = "!" * 78
            print(f"\n{bar}\n  EXAMPLE CONTACT DETAILS IN USE: {', '.join(practice.example_values_in_use)}\n"
                  f"  Clients in crisis are shown these. Set the practice's own in .env and restart.\n{bar}\n")
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
        print(f"Works for {args.hours:g} hours. The link opens the demo page; on the practice's own "
              "site, put the token in the widget's data-token.")
    elif args.command == "cors-origins":
        from bot.settings import get_settings

        print(" ".join(get_settings().widget_origins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
