"""Trust-building tips asked for."""
from bot import turns

from actions.adapter import TurnAction


class ActionGiveTip(TurnAction):
    action_name = "action_give_tip"
    turn = staticmethod(turns.give_tip)
