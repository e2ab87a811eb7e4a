"""python -m bench [--clients K] [--runs N] [--quick] [--profile FILE]

Starts our stack and a stock `rasa init` assistant on loopback, runs K
concurrent clients against each (a full check-in on ours, an equally long
conversation on stock), then a pass at 50 clients, a long conversation
against a new one, and a flood from one token. Prints the figures and ends
with one line of JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bench import clients, readback, stack
from bench.clients import Tally, Widget, percentile


def options(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--many", type=int, default=50, help="clients of the pass for errors and lost (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="runs at --clients; the median is shown (default 3)")
    parser.add_argument("--long-events", type=int, default=1000, help="earlier events of the long conversation")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (3 clients, 1 run, small passes)")
    parser.add_argument("--profile", type=Path, help="py-spy profile of our Rasa server under load (speedscope)")
    parser.add_argument("--profile-seconds", type=int, default=20)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="set for our servers")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.many, args.runs, args.long_events = 3, 5, 1, 150
    return args


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        extra = dict(pair.split("=", 1) for pair in args.env)
        self.ours = stack.Ours(workdir, extra)
        self.stock = stack.Stock(workdir)
        from bot.channels.tokens import mint
        from bot.settings import Settings

        self._mint = mint
        self._token_settings = Settings(
            data_dir=workdir / "data", database_url="sqlite://", widget_jwt_secret=stack.WIDGET_SECRET
        )
        self.numbers = iter(range(1, 1_000_000))
        self.expected: Dict[str, Dict[str, object]] = {}  # client id -> slot -> value, to read back
        self.phase_of: Dict[str, str] = {}
        self.stock_senders = iter(range(1, 1_000_000))
        self.peak_rss: Dict[str, int] = {}  # process name -> bytes, the most seen

    # --- clients -----------------------------------------------------------------
    def widget(self, phase: str, checked: bool = True) -> Tuple[Widget, int]:
        number = next(self.numbers)
        client_id = f"bench-{phase}-{number}"
        if checked:
            self.expected[client_id] = {slot: value for _, slot, value in clients.checkin(number) if slot}
            self.phase_of[client_id] = phase
        return Widget(self.ours.url, client_id, self._mint(client_id, settings=self._token_settings)), number

    def senders(self, count: int) -> List[str]:
        return [f"stock-{next(self.stock_senders)}" for _ in range(count)]

    # --- measuring ------------------------------------------------------------------
    def measured(self, side, load) -> Tuple[Tally, Dict[str, float]]:
        """Runs a load; returns its tally and the CPU seconds each process of
        the side used meanwhile."""
        before = {p.name: stack.cpu_seconds(p.pid) for p in side.processes()}
        tally = asyncio.run(load)
        cpu = {p.name: stack.cpu_seconds(p.pid) - before[p.name] for p in side.processes()}
        self.sample_memory()
        return tally, cpu

    def sample_memory(self) -> None:
        for p in self.ours.processes() + self.stock.processes():
            self.peak_rss[p.name] = max(self.peak_rss.get(p.name, 0), stack.rss_bytes(p.pid))

    def ours_pass(self, count: int, phase: str) -> Tuple[Tally, Dict[str, float]]:
        group = [self.widget(phase) for _ in range(count)]
        return self.measured(self.ours, clients.our_load(self.ours.url, group))

    def stock_pass(self, count: int) -> Tuple[Tally, Dict[str, float]]:
        return self.measured(self.stock, clients.stock_load(self.stock.url, self.senders(count)))

    def events_of(self, client_id: str) -> int:
        """The events stored for a conversation (-1 when the tracker store cannot tell)."""
        try:
            with sqlite3.connect(self.ours.tracker_db) as db:
                return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (client_id,)).fetchone()[0]
        except sqlite3.Error:
            return -1


def line(label: str, ours: str, stock: str, ratio: str = "") -> str:
    return f"  {label:<32}{ours:>12}{stock:>12}{ratio:>14}"


def run(args: argparse.Namespace) -> Dict[str, object]:
    k = args.clients
    now = datetime.now().astimezone()
    print(
        f"Benchmark {now:%Y-%m-%d %H:%M %Z}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f} before start",
        flush=True,
    )
    stack.STOCK_DIR.parent.mkdir(parents=True, exist_ok=True)
    trained = stack.ensure_stock(stack.STOCK_DIR.parent / "stock-train.log")
    if trained:
        print(f"Trained the stock assistant once in {trained:.0f} s ({stack.STOCK_DIR})", flush=True)
    missing = stack.unset_limits({**stack.RATE_LIMITS, **dict(p.split("=", 1) for p in args.env)})
    if missing:
        print(f"WARNING: rate-limit settings left at their default: {', '.join(missing)} (bench/stack.py)")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        bench = Bench(args, Path(tmp))
        try:
            return measure(bench, args, k)
        finally:
            bench.ours.stop()
            bench.stock.stop()


def measure(bench: Bench, args: argparse.Namespace, k: int) -> Dict[str, object]:
    ours, stock = bench.ours, bench.stock
    print("Starting our action server and Rasa server, then the stock Rasa server, one at a time...", flush=True)
    ours.start()
    stock.start()
    print(
        f"  ready: our action server {ours.actions.startup:.1f} s, our Rasa server {ours.rasa.startup:.1f} s, "
        f"stock Rasa server {stock.rasa.startup:.1f} s",
        flush=True,
    )
    bench.sample_memory()
    # Warm-up (not counted): the first messages load what is loaded lazily.
    bench.ours_pass(2, "warmup")
    bench.stock_pass(2)

    results: Dict[str, List] = {"ours": [], "stock": []}
    for number in range(1, args.runs + 1):
        for side, (tally, cpu) in (("ours", bench.ours_pass(k, "k")), ("stock", bench.stock_pass(k))):
            results[side].append((tally, cpu))
            print(
                f"  run {number}, {side:<5} K={k}: {tally.sent} messages in {tally.wall:.1f} s, "
                f"{tally.rate:.1f} msg/s, p50 {percentile(tally.latencies, 0.5):.0f} ms, "
                f"p95 {percentile(tally.latencies, 0.95):.0f} ms, errors {tally.error_count}, "
                f"CPU {1000 * sum(cpu.values()) / max(tally.sent, 1):.0f} ms/msg",
                flush=True,
            )

    many_ours, _ = bench.ours_pass(args.many, "many")
    many_stock, _ = bench.stock_pass(args.many)
    print(
        f"  K={args.many}: ours {many_ours.rate:.1f} msg/s, errors {many_ours.error_count}; "
        f"stock {many_stock.rate:.1f} msg/s, errors {many_stock.error_count}",
        flush=True,
    )

    long_new = long_conversation(bench, args)
    flooded = flood(bench, args)
    profile_report = profile(bench, args, k) if args.profile else None

    print("Reading the answers back from our store...", flush=True)
    found = readback.run(ours.env, bench.expected)
    by_phase: Dict[str, Dict[str, int]] = {}
    for client_id, counts in found.items():
        phase = by_phase.setdefault(bench.phase_of[client_id], {"lost": 0, "doubled": 0})
        for key in counts:
            phase[key] += counts[key]

    return report(bench, args, results, many_ours, many_stock, by_phase, long_new, flooded, profile_report)


def long_conversation(bench: Bench, args: argparse.Namespace) -> Dict[str, float]:
    """A client with about `long_events` earlier events against a new one:
    the same check-in, one message at a time, alternating."""
    long_client, _ = bench.widget("long", checked=False)
    began, events = time.perf_counter(), 0
    for _ in range(max(2, args.long_events // 25)):  # a check-in makes about 80 events; a bound all the same
        asyncio.run(clients.prefill(bench.ours.url, long_client, [next(bench.numbers)]))
        events = bench.events_of(long_client.client_id)
        if events >= args.long_events:
            break
    print(f"  long conversation: {events} events, made in {time.perf_counter() - began:.0f} s", flush=True)
    rounds = 1 if args.quick else 3
    pairs = []
    for _ in range(rounds):
        new_client, number = bench.widget("new")
        pairs.append((long_client, new_client, number))
    long_tally, new_tally = asyncio.run(clients.sequential(bench.ours.url, pairs))
    return {
        "events": events,
        "long_p50": percentile(long_tally.latencies, 0.5),
        "new_p50": percentile(new_tally.latencies, 0.5),
        "errors": long_tally.error_count + new_tally.error_count,
    }


def flood(bench: Bench, args: argparse.Namespace) -> Dict[str, float]:
    """The others' latency (check-ins at a steady pace) without, then with,
    one token flooding."""
    count, pause = (3, 0.5) if args.quick else (8, 1.5)
    figures: Dict[str, float] = {}
    for label, flooding in (("calm", False), ("flood", True)):
        others = [bench.widget(f"others-{label}") for _ in range(count)]
        flooder = bench.widget("flooder", checked=False)[0] if flooding else None
        mine, theirs = asyncio.run(clients.others_with_flood(bench.ours.url, others, flooder, pause))
        figures[f"{label}_p50"] = percentile(mine.latencies, 0.5)
        figures[f"{label}_p95"] = percentile(mine.latencies, 0.95)
        figures[f"{label}_errors"] = mine.error_count
        if flooding:
            figures["flood_sent"] = theirs.sent
            figures["flood_refused"] = sum(n for kind, n in theirs.errors.items() if kind == "HTTP 429")
            figures["flood_ok"] = theirs.sent - theirs.error_count
    bench.sample_memory()
    return figures


def profile(bench: Bench, args: argparse.Namespace, k: int) -> str:
    """py-spy on our Rasa server while K clients keep it busy."""
    from bench.profile import report as profile_report

    spy = shutil.which("py-spy", path=str(stack.BIN)) or shutil.which("py-spy")
    if not spy:
        return "py-spy is not installed: no profile."
    args.profile.parent.mkdir(parents=True, exist_ok=True)
    recorder = subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(bench.ours.rasa.pid),
            "--duration",
            str(args.profile_seconds),
            "--format",
            "speedscope",
            "--output",
            str(args.profile),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while recorder.poll() is None:
        bench.ours_pass(k, "profiled")
    return profile_report(args.profile) if recorder.returncode == 0 else "py-spy failed: no profile."


def median_of(runs: List[Tuple[Tally, Dict[str, float]]]) -> Dict[str, Any]:
    kinds: Counter = Counter()
    for tally, _ in runs:
        kinds.update(tally.errors)
    return {
        "rate": statistics.median(t.rate for t, _ in runs),
        "p50": statistics.median(percentile(t.latencies, 0.5) for t, _ in runs),
        "p95": statistics.median(percentile(t.latencies, 0.95) for t, _ in runs),
        "errors": sum(t.error_count for t, _ in runs),
        "cpu_ms": statistics.median(1000 * sum(c.values()) / max(t.sent, 1) for t, c in runs),
        "error_kinds": kinds,
    }


def cpu_split(runs: List[Tuple[Tally, Dict[str, float]]], name: str) -> float:
    return statistics.median(1000 * c[name] / max(t.sent, 1) for t, c in runs)


def report(bench, args, results, many_ours, many_stock, by_phase, long_new, flooded, profile_report):
    k, ours, stock = args.clients, median_of(results["ours"]), median_of(results["stock"])
    lost = sum(p["lost"] for p in by_phase.values())
    doubled = sum(p["doubled"] for p in by_phase.values())
    many = by_phase.get("many", {"lost": 0, "doubled": 0})
    rss = {name: size / 2**20 for name, size in bench.peak_rss.items()}
    rasa, actions, stock_rasa = bench.ours.rasa, bench.ours.actions, bench.stock.rasa
    ours_errors = ours["errors"] + many_ours.error_count + long_new["errors"]
    ours_errors += flooded["calm_errors"] + flooded["flood_errors"]
    throughput_ratio = ours["rate"] / stock["rate"] if stock["rate"] else float("nan")
    p95_ratio = ours["p95"] / stock["p95"] if stock["p95"] else float("nan")
    long_vs_new = long_new["long_p50"] / long_new["new_p50"]
    flood_ratio = flooded["flood_p95"] / flooded["calm_p95"]

    print()
    print(
        f"Results: K={k} concurrent clients x 7 messages, median of {args.runs} run(s); load average now "
        f"{os.getloadavg()[0]:.2f} (other work on this machine shows there)"
    )
    print(line("", "ours", "stock", "ours/stock"))
    print(line("messages per second", f"{ours['rate']:.1f}", f"{stock['rate']:.1f}", f"{throughput_ratio:.2f}"))
    print(line("p50 latency (ms)", f"{ours['p50']:.0f}", f"{stock['p50']:.0f}", f"{ours['p50'] / stock['p50']:.2f}"))
    print(line("p95 latency (ms)", f"{ours['p95']:.0f}", f"{stock['p95']:.0f}", f"{p95_ratio:.2f}"))
    print(line(f"errors (all {args.runs} runs)", str(ours["errors"]), str(stock["errors"])))
    print(line(f"errors at K={args.many}", str(many_ours.error_count), str(many_stock.error_count)))
    print(line(f"answers lost / doubled K={args.many}", f"{many['lost']} / {many['doubled']}", "n/a"))
    print(line("answers lost / doubled, all", f"{lost} / {doubled}", "n/a"))
    print(line("CPU ms per message", f"{ours['cpu_ms']:.1f}", f"{stock['cpu_ms']:.1f}"))
    print(line("  of which Rasa server", f"{cpu_split(results['ours'], rasa.name):.1f}", f"{stock['cpu_ms']:.1f}"))
    print(line("  of which action server", f"{cpu_split(results['ours'], actions.name):.1f}", "-"))
    print(line("start-up, Rasa (s)", f"{rasa.startup:.1f}", f"{stock_rasa.startup:.1f}"))
    print(line("start-up, action server (s)", f"{actions.startup:.1f}", "-"))
    print(line("resident memory, Rasa (MB)", f"{rss[rasa.name]:.0f}", f"{rss[stock_rasa.name]:.0f}"))
    print(line("resident memory, actions (MB)", f"{rss[actions.name]:.0f}", "-"))
    kinds = {side: dict(m["error_kinds"]) for side, m in (("ours", ours), ("stock", stock))}
    if any(kinds.values()):
        print(f"  kinds of errors at K={k}: {kinds}")
    for phase, counts in sorted(by_phase.items()):
        if counts["lost"] or counts["doubled"]:
            print(f"  {phase}: {counts['lost']} lost, {counts['doubled']} doubled")
    print(
        f"Long conversation ({long_new['events']} earlier events): p50 {long_new['long_p50']:.0f} ms "
        f"against {long_new['new_p50']:.0f} ms for a new one ({long_vs_new:.1f}x)"
    )
    print(
        f"Flood: the others' p95 {flooded['flood_p95']:.0f} ms while one token floods against "
        f"{flooded['calm_p95']:.0f} ms without ({flood_ratio:.1f}x; p50 {flooded['flood_p50']:.0f} against "
        f"{flooded['calm_p50']:.0f} ms); the flood sent {flooded['flood_sent']:.0f} messages, "
        f"{flooded['flood_ok']:.0f} answered, {flooded['flood_refused']:.0f} refused with 429"
    )
    if profile_report:
        print(profile_report)
    return {
        "throughput_ratio": round(throughput_ratio, 2),
        "p95_ratio": round(p95_ratio, 2),
        "errors": ours_errors,
        "lost": lost,
        "doubled": doubled,
        "long_vs_new": round(long_vs_new, 2),
        "flood_p95_ratio": round(flood_ratio, 2),
        "errors_at_many": many_ours.error_count,
        "lost_at_many": many["lost"],
        "clients": k,
        "many": args.many,
        "runs": args.runs,
        "ours_msg_per_s": round(ours["rate"], 1),
        "stock_msg_per_s": round(stock["rate"], 1),
        "ours_p50_ms": round(ours["p50"]),
        "ours_p95_ms": round(ours["p95"]),
        "stock_p50_ms": round(stock["p50"]),
        "stock_p95_ms": round(stock["p95"]),
        "stock_errors": stock["errors"] + many_stock.error_count,
        "ours_cpu_ms_per_msg": round(ours["cpu_ms"], 1),
        "stock_cpu_ms_per_msg": round(stock["cpu_ms"], 1),
        "ours_startup_s": round(rasa.startup, 1),
        "stock_startup_s": round(stock_rasa.startup, 1),
        "ours_rss_mb": round(rss[rasa.name]),
        "actions_rss_mb": round(rss[actions.name]),
        "stock_rss_mb": round(rss[stock_rasa.name]),
        "long_p50_ms": round(long_new["long_p50"]),
        "new_p50_ms": round(long_new["new_p50"]),
        "long_events": long_new["events"],
    }


def main(argv=None) -> None:
    summary = run(options(argv))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
