"""Chinese word segmentation for the crisis classifier: jieba's dictionary splits "天台上种了几盆葱" into words, so the
model can weigh a word pair ("天台" with "浇水") that character n-grams of four cannot span."""
from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)  # its start-up notice goes to stderr otherwise
DICTIONARY = f"jieba {jieba.__version__}"  # in the classifier's fingerprint: a new dictionary retrains it


def words(text: str) -> list[str]:
    """The words of an already normalised text, spaces dropped (English words come through whole)."""
    return [w for w in jieba.lcut(text) if w.strip()]


def warm() -> None:
    """Load jieba's dictionary now (about a second) rather than in the first employee's turn."""
    jieba.initialize()
