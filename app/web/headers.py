"""Security headers of the widget's HTML pages: a strict CSP whose frame-ancestors come from the settings."""
from __future__ import annotations

import logging
import re

from app.config import Settings

log = logging.getLogger("xinan.web")
# A host source of CSP: scheme://host[:port], host wildcards allowed; nothing that could end the directive.
_SOURCE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(\*\.)?[a-zA-Z0-9.-]+(:(\d+|\*))?/?$")
_KEYWORDS = {"self": "'self'", "'self'": "'self'", "none": "'none'", "'none'": "'none'"}


def frame_ancestors(settings: Settings) -> str:
    """'self' plus each configured host page origin; anything that is not an origin is dropped with a warning."""
    sources = ["'self'"]
    for token in settings.embed_allowed_origins.split():
        if token in _KEYWORDS:
            sources.append(_KEYWORDS[token])
        elif _SOURCE.match(token):
            sources.append(token.rstrip("/"))
        else:
            log.warning("XINAN_EMBED_ALLOWED_ORIGINS: ignoring %r, which is not an origin", token)
    if "'none'" in sources:
        return "'none'"
    return " ".join(dict.fromkeys(sources))


def content_security_policy(settings: Settings) -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors(settings)}",
    ])


def page_headers(settings: Settings) -> dict[str, str]:
    """Headers for every HTML response of the widget (the app middleware sets some of them too, harmlessly)."""
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
