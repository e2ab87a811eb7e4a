"""Trust-building tips asked for, and feelings shared outside a question."""

from bot import turns

from actions.adapter import TurnAction


class ActionGiveTip(TurnAction):
    action_name = "action_give_tip"
    turn = staticmethod(turns.give_tip)


class ActionAcknowledge(TurnAction):
    """A feeling shared outside a question."""

    action_name = "action_acknowledge"
    turn = staticmethod(turns.acknowledge)
