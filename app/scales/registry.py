"""Loads every scales/*.yaml at start-up; a bad file stops start-up with the file and the field named."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from app.scales.definitions import ScaleDefinition


class ScaleFileError(RuntimeError):
    """A scale file is malformed or invalid; the message names the file and the field."""


def load_scale_file(path: Path) -> ScaleDefinition:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScaleFileError(f"{path.name}: malformed YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ScaleFileError(f"{path.name}: expected a mapping at the top level")
    try:
        scale = ScaleDefinition.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        )
        raise ScaleFileError(f"{path.name}: {problems}") from exc
    if scale.id != path.stem:
        raise ScaleFileError(f"{path.name}: id: {scale.id!r} must match the file name {path.stem!r}")
    return scale


class ScaleRegistry:
    def __init__(self, scales: dict[str, ScaleDefinition]) -> None:
        self._scales = scales

    @classmethod
    def from_dir(cls, directory: Path) -> ScaleRegistry:
        files = sorted(directory.glob("*.yaml"))
        if not files:
            raise ScaleFileError(f"{directory}: no scale files (*.yaml)")
        return cls({s.id: s for s in map(load_scale_file, files)})

    def get(self, scale_id: str) -> ScaleDefinition | None:
        return self._scales.get(scale_id)

    def __getitem__(self, scale_id: str) -> ScaleDefinition:
        return self._scales[scale_id]

    def all(self) -> list[ScaleDefinition]:
        return list(self._scales.values())

    def ids(self) -> list[str]:
        return list(self._scales)


_registry: ScaleRegistry | None = None


def get_registry() -> ScaleRegistry:
    global _registry
    if _registry is None:
        from app.config import get_settings

        _registry = ScaleRegistry.from_dir(get_settings().scales_dir)
    return _registry


def set_registry(registry: ScaleRegistry | None) -> None:
    global _registry
    _registry = registry
