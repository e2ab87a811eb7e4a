"""The action server's actions, by topic; importing this package registers them.

The two small classifiers the turns use (what a message mid-question asks
for, and which tip fits) are fitted in the background as the server starts,
so that the first client does not wait for them."""
import threading

from bot import commands, tips

from actions import flows, forms, privacy, safety, tips as tip_actions  # noqa: F401

threading.Thread(target=lambda: (commands.intent_of("hello"), tips.topic_of("hello")), daemon=True,
                 name="warm-classifiers").start()
