"""Greeting, opening and finishing flows, pausing, changing an answer."""

from bot import turns

from actions.adapter import TurnAction


class ActionGreet(TurnAction):
    action_name = "action_greet"
    turn = staticmethod(turns.greet)


class ActionOpenFlow(TurnAction):
    """Start, continue or resume a flow; the rules then run its form."""

    action_name = "action_open_flow"
    turn = staticmethod(turns.open_flow)


class ActionFinishFlow(TurnAction):
    action_name = "action_finish_flow"
    turn = staticmethod(turns.finish_flow)


class ActionPause(TurnAction):
    action_name = "action_pause"
    turn = staticmethod(turns.pause)


class ActionChangeAnswer(TurnAction):
    action_name = "action_change_answer"
    turn = staticmethod(turns.change_answer)
