"""Which trust-building tip fits: pure functions over `bot.worksheet.TIPS`."""
from __future__ import annotations

import re
from typing import Iterable, List, Optional

from bot import worksheet

LOW_RATING = 4      # a trust or safety rating at or below this gets a gentle tip
DROP = 2            # ... and so does a fall of this many points since the last check-in


def match_tip(text: Optional[str]) -> Optional[str]:
    """The tip a client asks for in their own words, or None for "any tips?"."""
    cleaned = re.sub(r"\s+", " ", (text or "").lower())
    best, best_hits = None, 0
    for tip in worksheet.TIPS:
        hits = sum(1 for word in tip.keywords if word in cleaned)
        if hits > best_hits:
            best, best_hits = tip.key, hits
    return best


def next_tip(given: Iterable[str]) -> str:
    """The first tip not given yet in this conversation (then round again)."""
    seen = set(given or [])
    for tip in worksheet.TIPS:
        if tip.key not in seen:
            return tip.key
    return worksheet.TIPS[0].key


def tips_for_checklist(items: Iterable[str]) -> List[str]:
    """The tips that answer the checklist items a client ticked, in tip order."""
    wanted = {key for item in items or [] for key in worksheet.TIPS_FOR_CHECKLIST.get(item, ())}
    return [tip.key for tip in worksheet.TIPS if tip.key in wanted]


def after_checkin(trust: Optional[int], safety: Optional[int],
                  previous_trust: Optional[int], previous_safety: Optional[int]) -> Optional[str]:
    """'low' (a gentle tip and an offer to draft feedback), 'rise' (celebrate
    progress) or None, from this check-in's ratings and the previous one's."""
    pairs = [(now, before) for now, before in ((trust, previous_trust), (safety, previous_safety)) if now is not None]
    if not pairs:
        return None
    if any(now <= LOW_RATING for now, _ in pairs) or any(
            before is not None and before - now >= DROP for now, before in pairs):
        return "low"
    if any(before is not None and now > before for now, before in pairs):
        return "rise"
    return None


def tip_text(key: str) -> str:
    tip = worksheet.TIPS_BY_KEY[key]
    return f"{tip.title}: {tip.text}" + (f" {tip.example}" if tip.example else "")
