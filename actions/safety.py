"""After a safety reply (shown and recorded by the Rasa server itself)."""

from bot import turns

from actions.adapter import TurnAction


class ActionAfterEscalation(TurnAction):
    action_name = "action_after_escalation"
    turn = staticmethod(turns.after_escalation)
