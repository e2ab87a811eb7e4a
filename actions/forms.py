"""`validate_<flow>_form`: every message given to a form is one turn."""

from abc import abstractmethod

from bot import turns

from actions.adapter import TurnAction


class FormValidator(TurnAction):
    @property
    @abstractmethod
    def flow(self) -> str:
        """The flow whose form this validates."""

    @property
    def action_name(self) -> str:
        return f"validate_{self.flow}_form"

    def turn(self, turn: turns.Turn) -> turns.Reply:
        return turns.form_message(self.flow, turn)


class ValidateWorksheetForm(FormValidator):
    flow = "worksheet"


class ValidateCheckinForm(FormValidator):
    flow = "checkin"


class ValidateClosingForm(FormValidator):
    flow = "closing"


class ValidateDraftForm(FormValidator):
    flow = "draft"
