"""rasa-sdk actions, one module per topic (named like `data/`): each action
adapts one turn of `bot.turns` to the tracker and the dispatcher."""
from actions import flows, forms, privacy, safety, tips  # noqa: F401  (registers every action)
