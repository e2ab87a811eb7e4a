"""The benchmark's clients (aiohttp): a full check-in through our widget
channel, an equally long conversation with the stock assistant, a flood from
one token. Every message is the benchmark's own, fixed text."""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Dict, List, Optional, Tuple

import aiohttp

from bot.channels.conversation import TRY_AGAIN

TIMEOUT = aiohttp.ClientTimeout(total=120)

# The stock assistant's conversation: seven messages, each of a `rasa init`
# intent, each with a reply due (greet, mood_unhappy, affirm, bot_challenge,
# greet, mood_great, goodbye).
STOCK_MESSAGES = [
    "hello there",
    "I am feeling sad today",
    "yes it did",
    "are you a bot?",
    "hi again",
    "I am feeling great now",
    "goodbye",
]


def checkin(number: int, today: Optional[date] = None) -> List[Tuple[str, Optional[str], object]]:
    """One client's check-in: (message, slot it answers, value to find stored).
    The values differ from client to client, so an answer stored against the
    wrong client, or not at all, shows. Ratings stay above the low-rating tip."""
    day = (today or date.today()) - timedelta(days=3 + number % 20)
    trust, safety = 6 + number % 4, 9 - number % 4
    topic = f"we talked about my week at work, bench topic {number}"
    could_do = f"ask me a few more questions about it, bench note {number}"
    agenda = f"the plan for the holidays, bench item {number}"
    return [
        ("I'd like to do a check-in", None, None),
        (day.isoformat(), "session_date", day.isoformat()),
        (topic, "session_topic", topic),
        (str(trust), "trust_rating", trust),
        (str(safety), "safety_rating", safety),
        (could_do, "therapist_could_do", could_do),
        (agenda, "agenda_item", agenda),
    ]


def percentile(seconds: List[float], q: float) -> float:
    """The nearest-rank percentile (q from 0 to 1) of durations, in milliseconds."""
    if not seconds:
        return float("nan")
    ordered = sorted(seconds)
    return 1000 * ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Tally:
    """What one pass of clients saw."""

    latencies: List[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    sent: int = 0
    wall: float = 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.sent / self.wall if self.wall else 0.0


async def post(
    session: aiohttp.ClientSession, url: str, body: Dict, headers: Dict, tally: Tally, patient: bool = False
) -> Optional[List]:
    """Sends one message; returns the replies, or None (counted as an error)
    for a failed request, a status other than 200 or no reply. A patient
    client waits out a 429 (fair use) and sends again, as the widget's
    "Send again" does."""
    began = time.perf_counter()
    try:
        while True:
            async with session.post(url, json=body, headers=headers) as reply:
                status = reply.status
                replies = await reply.json(content_type=None) if status == 200 else None
                wait = float(reply.headers.get("Retry-After", "1")) if status == 429 and patient else 0.0
            if not wait:
                break
            await asyncio.sleep(wait)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as problem:
        tally.sent += 1
        tally.errors[type(problem).__name__] += 1
        return None
    tally.sent += 1
    tally.latencies.append(time.perf_counter() - began)
    if status != 200:
        tally.errors[f"HTTP {status}"] += 1
        return None
    texts = [r.get("text") for r in replies if isinstance(r, dict)] if isinstance(replies, list) else []
    if not any(texts):
        tally.errors["no reply"] += 1
        return None
    if TRY_AGAIN in texts:
        tally.errors["not taken in (try again)"] += 1
    return replies


class Widget:
    """A client of our widget channel: its token's subject is its conversation."""

    def __init__(self, url: str, client_id: str, token: str) -> None:
        self.url, self.client_id = url, client_id
        self.headers = {"Authorization": f"Bearer {token}"}
        self.patient = False  # waits out the fair-use limit (making a long conversation)

    async def say(self, session: aiohttp.ClientSession, text: str, tally: Tally) -> Optional[List]:
        # The widget sends an id with every message (its retries are taken once).
        body = {"message": text, "message_id": uuid.uuid4().hex}
        return await post(session, self.url, body, self.headers, tally, self.patient)


async def our_checkin(
    session, client: Widget, number: int, tally: Tally, pause: float = 0.0, start_after: float = 0.0
) -> None:
    await asyncio.sleep(start_after)
    for text, _slot, _value in checkin(number):
        await client.say(session, text, tally)
        if pause:
            await asyncio.sleep(pause)


async def stock_chat(session, url: str, sender: str, tally: Tally, pause: float = 0.0) -> None:
    for text in STOCK_MESSAGES:
        await post(session, url, {"sender": sender, "message": text}, {}, tally)
        if pause:
            await asyncio.sleep(pause)


def connector() -> aiohttp.TCPConnector:
    return aiohttp.TCPConnector(limit=0, force_close=False)


async def together(jobs) -> float:
    """Runs the coroutines at once; returns the wall time."""
    began = time.perf_counter()
    await asyncio.gather(*jobs)
    return time.perf_counter() - began


async def our_load(url: str, clients: List[Tuple[Widget, int]]) -> Tally:
    """Every client does its check-in at the same time, without pauses."""
    tally = Tally()
    async with aiohttp.ClientSession(connector=connector(), timeout=TIMEOUT) as session:
        tally.wall = await together(our_checkin(session, client, number, tally) for client, number in clients)
    return tally


async def stock_load(url: str, senders: List[str]) -> Tally:
    tally = Tally()
    async with aiohttp.ClientSession(connector=connector(), timeout=TIMEOUT) as session:
        tally.wall = await together(stock_chat(session, url, sender, tally) for sender in senders)
    return tally


async def flood(session, client: Widget, stop: asyncio.Event, tally: Tally) -> None:
    """One token sending as fast as it is answered. One message at a time is
    the hardest flood: Rasa takes a conversation's messages one by one, and a
    second message waiting for the conversation's lock looks again only once
    a second (rasa/core/lock_store.py), so more connections would send less."""
    while not stop.is_set():
        await client.say(session, "hello, are you there?", tally)


async def others_with_flood(
    url: str, others: List[Tuple[Widget, int]], flooder: Optional[Widget], pause: float
) -> Tuple[Tally, Tally]:
    """The others do their check-ins at a steady pace while (if given) one
    token floods; returns the others' tally and the flood's."""
    mine, flooding, stop = Tally(), Tally(), asyncio.Event()
    async with aiohttp.ClientSession(connector=connector(), timeout=TIMEOUT) as session:
        flood_task = asyncio.ensure_future(flood(session, flooder, stop, flooding)) if flooder else None
        if flood_task:
            await asyncio.sleep(2)  # the flood is under way before the others start
        # Spread over the pause, so that the others' messages do not arrive together.
        steady = (our_checkin(session, c, n, mine, pause, i * pause / len(others)) for i, (c, n) in enumerate(others))
        mine.wall = await together(steady)
        stop.set()
        if flood_task:
            await flood_task
    return mine, flooding


async def sequential(url: str, pairs: List[Tuple[Widget, Widget, int]]) -> Tuple[Tally, Tally]:
    """One message at a time, alternating between the first and the second
    client of each pair (the same check-in): their tallies."""
    first, second = Tally(), Tally()
    async with aiohttp.ClientSession(connector=connector(), timeout=TIMEOUT) as session:
        for a, b, number in pairs:
            for text, _slot, _value in checkin(number):
                await a.say(session, text, first)
                await b.say(session, text, second)
    return first, second


async def prefill(url: str, client: Widget, numbers: List[int]) -> Tally:
    """Check-ins one after another on one client (to make a long conversation)."""
    tally = Tally()
    client.patient = True
    async with aiohttp.ClientSession(connector=connector(), timeout=TIMEOUT) as session:
        for number in numbers:
            await our_checkin(session, client, number, tally)
    return tally
