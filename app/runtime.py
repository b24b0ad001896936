"""What the process loads once at start-up (settings, keys, scales) and every boundary reads."""
from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings, get_settings
from app.crypto import Keyring
from app.data_dir import secure
from app.safety.crisis_screen import get_lexicon
from app.safety.resources import load_resources
from app.scales.registry import ScaleRegistry, get_registry, set_registry
from app.secrets_store import ensure_secrets, load_keyring, load_pepper


@dataclass
class Runtime:
    settings: Settings
    keyring: Keyring
    pepper: bytes
    scales: ScaleRegistry


_runtime: Runtime | None = None


def load_runtime(settings: Settings | None = None) -> Runtime:
    """Validate configuration, scales and secrets; raise with a message naming the problem."""
    settings = settings or get_settings()
    secure(settings.resolved_data_dir)
    ensure_secrets(settings)
    set_registry(ScaleRegistry.from_dir(settings.scales_dir))
    for locale in ("zh-CN", "en"):  # a bad hotline file must stop start-up, not fail during a crisis
        load_resources(locale, settings.crisis_resources_file)
    get_lexicon()
    return Runtime(settings, load_keyring(settings), load_pepper(settings), get_registry())


def get_runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = load_runtime()
    return _runtime


def set_runtime(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime
