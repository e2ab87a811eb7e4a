"""The action server's actions, by topic; importing this package registers them.

The two small classifiers the turns use (what a message mid-question asks
for, and which tip fits) are fitted in the background as the server starts,
so that the first client does not wait for them."""

import threading

import bot.commands
import bot.tips

from actions import flows, forms, privacy, safety, tips  # noqa: F401  (`tips` here is actions.tips)

threading.Thread(
    target=lambda: (bot.commands.intent_of("hello"), bot.tips.topic_of("hello")), daemon=True, name="warm-classifiers"
).start()
