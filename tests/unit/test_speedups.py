"""The Rasa server's cached check of the action server's replies behaves as Rasa's own."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.channels import speedups

GOOD = {"events": [{"event": "slot", "name": "flow", "value": "checkin"}], "responses": [{"response": "utter_x"}]}
BAD = {"events": [{"event": "slot", "name": 3}], "responses": "not a list"}


def _stock(result):
    schema = RemoteAction.action_response_format_spec()
    try:
        jsonschema.validate(result, schema)
        return True, None
    except jsonschema.ValidationError as error:
        return False, error.message


@pytest.mark.parametrize("result", [GOOD, {}, {"events": [], "responses": []}, BAD, {"responses": [1]}])
def test_the_cached_check_accepts_and_refuses_what_rasa_s_own_does(result):
    action = RemoteAction("action_x", None)
    accepted, message = _stock(result)
    if accepted:
        assert speedups._validate_action_result(action, result) is True
    else:
        with pytest.raises(jsonschema.ValidationError) as raised:
            speedups._validate_action_result(action, result)
        assert raised.value.message.startswith(message)
        assert "Failed to validate Action server response" in raised.value.message


def test_installed_in_the_rasa_server_with_the_channels():
    import bot.channels.conversation  # noqa: F401  (what the Rasa server loads with the channels)

    assert RemoteAction._validate_action_result is speedups._validate_action_result
