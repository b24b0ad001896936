"""Repairs typing slips: in Chinese a homophone picked from the pinyin IME ("几乎美天" for "几乎每天"), in English a
misspelt word of the scale's own phrases ("almst never", "verry often"), which would otherwise drop the word.

Only a phrase of three or more characters (or a two-character answer on its own) is repaired, where one character
(two in a phrase of four or more) was swapped for one that can sound the same, tones ignored; never inside a phrase
the text already says.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher, get_close_matches

from app.answers.vocabulary import typo
from app.language.pinyin import readings

MIN_PHRASE = 3


def sounds(char: str) -> frozenset[str]:
    """The toneless readings of one character (several for a heteronym); empty for a non-Chinese one."""
    return frozenset(readings(char))


def main_sound(char: str) -> str | None:
    said = readings(char)
    return said[0] if said else None


def _homophone_slip(window: str, phrase: str) -> bool:
    """One character differs (two in a phrase of four or more: "长长符合"), and the phrase's character is said the
    way the typed one can be: the IME offered both for the same pinyin ("长" for "常"; never "几天" for "隔天",
    which only a rare reading of "隔" would allow)."""
    slips = [(a, b) for a, b in zip(window, phrase, strict=True) if a != b]
    allowed = 2 if len(phrase) >= 4 else 1
    return 0 < len(slips) <= allowed and all(main_sound(b) in sounds(a) for a, b in slips)


def _starts(text: str, phrase: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(phrase), text)]


def repair(text: str, phrases: list[str], whole: str = "") -> str | None:
    """The text with each slipped phrase written right, or None when nothing needed repair. `whole` is the answer
    without its particles: a two-character slip ("有事" for "有时") is repaired only when it is the whole answer."""
    if len(whole) == 2:
        short = [p for p in phrases if len(p) == 2 and _homophone_slip(whole, p)]
        if len({*short}) == 1:
            return text.replace(whole, short[0], 1)
    out, changed = text, False
    said = [(i, i + len(p)) for p in phrases if len(p) >= 2 and not p.isascii() for i in _starts(text, p)]
    for phrase in phrases:
        n = len(phrase)
        if n < MIN_PHRASE or not re.fullmatch(r"[\u4e00-\u9fff]+", phrase) or phrase in out:
            continue
        for i in range(len(out) - n + 1):
            if any(i < e and s < i + n and not (i <= s and e <= i + n) for s, e in said):
                continue  # never rewrite part of a phrase as typed ("几乎每天" is not "几乎没" + 天)
            if _homophone_slip(out[i:i + n], phrase):
                out, changed = out[:i] + phrase + out[i + n:], True
                break
    return out if changed else None


_COMPOUNDS = typo().compounds  # words run together ("everyday", "alot") read as the words meant


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away (Norvig's edits1)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    return deletes | swaps | {a + c + b[1:] for a, b in splits if b for c in letters} | {
        a + c + b for a, b in splits for c in letters}


def respell(text: str, vocabulary: frozenset[str], known: frozenset[str], phrases: frozenset[str]) -> str:
    """English words that are neither in the scale's phrases nor `known` are replaced by the phrase word they are a
    near-miss of (similarity 0.8 or more, clearly the best, a phrase with its neighbour counting for it: "fairy
    often" is "fairly often", not "fair often"); anything less certain is left for the parser to doubt."""
    words = re.findall(r"[a-z]+", text)

    def best(i: int, word: str) -> str:
        if word in _COMPOUNDS:
            return _COMPOUNDS[word]
        if len(word) < 3 or word in vocabulary or word in known:
            return word
        if len(word) >= 5 and len(one_slip := _one_edit(word) & vocabulary) == 1:  # "sevral": one letter dropped
            return one_slip.pop()
        near = words[max(i - 1, 0): i] + words[i + 1: i + 2]
        scored = sorted(((SequenceMatcher(None, word, c).ratio()
                          + 0.1 * any(f"{c} {n}" in phrases or f"{n} {c}" in phrases for n in near), c)
                         for c in get_close_matches(word, vocabulary, cutoff=0.8)), reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.05):  # "verry": very, not every
            return scored[0][1]
        return word

    fixed = iter([best(i, w) for i, w in enumerate(words)])
    return re.sub(r"[a-z]+", lambda _m: next(fixed), text)
