"""The client's control of their data: their answers, what the therapist
sees, keeping an answer private, a download, deleting everything."""

from bot import turns

from actions.adapter import TurnAction


class ActionShowAnswers(TurnAction):
    action_name = "action_show_answers"
    turn = staticmethod(turns.show_answers)


class ActionShowSummary(TurnAction):
    action_name = "action_show_summary"
    turn = staticmethod(turns.show_summary)


class ActionKeepPrivate(TurnAction):
    action_name = "action_keep_private"
    turn = staticmethod(turns.keep_private)


class ActionDownloadMyData(TurnAction):
    action_name = "action_download_my_data"
    turn = staticmethod(turns.download_my_data)


class ActionDeleteMyData(TurnAction):
    action_name = "action_delete_my_data"
    turn = staticmethod(turns.delete_my_data)


class ValidateDeleteForm(TurnAction):
    """The answer to "delete everything?", in the client's words."""

    action_name = "validate_delete_form"
    turn = staticmethod(turns.confirm_delete)
