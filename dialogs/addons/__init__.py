"""Rasa add-ons loaded through endpoints.yml (the tracker store); importing the package also applies the
action-validation speed-up."""
from . import fast_action_validation  # noqa: F401
