"""Rasa 3.6 checks its constant action-response schema against the JSON-Schema meta-schema on every action call
(a third of its CPU per turn); validate with a validator built once instead. Same schema,
same errors: only the repeated meta-schema check is gone."""
from __future__ import annotations

from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

WRITTEN_FOR = "3.6.21"  # the Rasa version whose internals this replaces (addons/activation.py checks it)
_SCHEMA = RemoteAction.action_response_format_spec()
_CLS = validator_for(_SCHEMA)
_CLS.check_schema(_SCHEMA)
_VALIDATOR = _CLS(_SCHEMA)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _VALIDATOR.validate(result)
    except ValidationError as e:
        e.message += ". Failed to validate Action server response from API"
        raise
    return True


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
