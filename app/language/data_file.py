"""Loads a language data file (YAML) into a pydantic model, once, so words live in data and logic in code.

A malformed file must stop the caller loudly with the file and the key at fault: a silently empty word list would
quietly change how answers and crisis messages are read.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError


class DataFileError(RuntimeError):
    """A language data file is unreadable or malformed; the message names the file and the key."""


class Strict(BaseModel):
    """Unknown keys are refused, so a misspelt key is an error rather than a silently ignored list."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
M = TypeVar("M", bound=BaseModel)


def load_data_file(path: Path, model: type[M]) -> M:
    """The file parsed and validated, or DataFileError naming the file and each key at fault."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read: {exc}") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        )
        raise DataFileError(f"{path}: {problems}") from exc
