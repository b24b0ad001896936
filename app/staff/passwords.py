"""Staff password rules: long enough, not blank, and not guessable by zxcvbn's shipped lists of common passwords,
names and words (a well-kept checker; no list of our own). Read from a prompt or stdin, never from the command line."""
from __future__ import annotations

import getpass
import sys
from typing import TextIO

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"


def weakness(password: str, username: str = "") -> str | None:
    """Why the password is refused, or None when it is acceptable."""
    if not password.strip():
        return "password is blank"
    if len(password) < MIN_LENGTH:
        return f"password must be at least {MIN_LENGTH} characters"
    result = zxcvbn(password[:100], user_inputs=[username, "xinan", "心安"] if username else ["xinan", "心安"])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"]["warning"] or "it is too easy to guess"
        return f"password is too weak ({hint.rstrip('.')}); use a longer passphrase"
    return None


def read_password(stdin: TextIO | None = None) -> str:
    """From an interactive prompt (asked twice) when stdin is a terminal, else the first line of stdin, so a
    password never appears in `ps` or in a shell history."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")
