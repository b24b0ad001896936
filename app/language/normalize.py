"""The one text normaliser: messages, lexicon phrases and scale phrases are written down one way before they are read.

Its characters, patterns and the steps of each form are data (data/normalize.yaml). A phrase written once ("I
don't want to live") then matches "I dont want to live", "I DON’T want to live" and spaced-out Chinese.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from app.language.data_file import Regex, Strict, load_data_file

NORMALIZE_FILE = Path(__file__).parent / "data" / "normalize.yaml"
Form = Literal["screen", "answer"]
_STEPS = frozenset({"nfkc", "casefold", "lowercase", "strip", "drop_invisible", "drop_symbols", "unify_quotes",
                    "variants", "cjk_spelled", "cjk_glue", "clause_marks", "collapse_spaces", "collapse_all_spaces",
                    "strip_clause_marks"})


class NormalizeFile(Strict):
    cjk: str = Field(min_length=3)
    invisible: list[str]
    quotes: list[str]
    symbol_categories: list[str]
    cjk_glue: Regex
    cjk_spelled_marks: str = Field(min_length=1)
    clause_mark: str = Field(min_length=1)
    clause_marks: Regex
    clause_dash: Regex
    rewrites: dict[str, list[tuple[Regex, str]]]
    forms: dict[Form, list[str]]

    @model_validator(mode="after")
    def _steps_known(self) -> NormalizeFile:
        if missing := {"screen", "answer"} - set(self.forms):
            raise ValueError(f"forms: missing {sorted(missing)}")
        for form, steps in self.forms.items():
            for i, step in enumerate(steps):
                name, _, arg = step.partition(" ")
                if name == "rewrite" and arg not in self.rewrites:
                    raise ValueError(f"forms.{form}[{i}]: no rewrites list {arg!r}")
                if name != "rewrite" and step not in _STEPS:
                    raise ValueError(f"forms.{form}[{i}]: unknown step {step!r}")
        return self


@dataclass(frozen=True)
class Normalizer:
    """The compiled data: each form a list of steps, each step one function of the text (and the variants)."""

    cjk: str
    clause_mark: str
    clause_marks: re.Pattern[str]
    forms: dict[str, tuple[Callable[[str, Mapping[int, str] | None], str], ...]]

    def __call__(self, text: str, variants: Mapping[int, str] | None = None, form: Form = "screen") -> str:
        for step in self.forms[form]:
            text = step(text, variants)
        return text


def _rewriter(rules: list[tuple[str, str]]) -> Callable[[str, Mapping[int, str] | None], str]:
    compiled = [(re.compile(p), r) for p, r in rules]

    def rewrite(text: str, _variants: Mapping[int, str] | None) -> str:
        for pattern, repl in compiled:
            text = pattern.sub(repl, text)
        return text
    return rewrite


def compile_normalizer(raw: NormalizeFile) -> Normalizer:
    cjk, mark = raw.cjk, raw.clause_mark
    invisible = dict.fromkeys(map(ord, raw.invisible), None)
    quotes = {ord(c): "'" for c in raw.quotes}
    symbols = frozenset(raw.symbol_categories)
    glue = re.compile(raw.cjk_glue.replace("{cjk}", cjk))
    spelled_marks = f"[{re.escape(raw.cjk_spelled_marks)}]"
    spelled = re.compile(rf"(?<![{cjk}])[{cjk}](?:{spelled_marks}[{cjk}]){{2,}}(?![{cjk}])")
    marks, dash = re.compile(raw.clause_marks), re.compile(raw.clause_dash)
    spaces, all_spaces = re.compile(r"[^\S\n]+"), re.compile(r"\s+")
    steps: dict[str, Callable[[str, Mapping[int, str] | None], str]] = {
        "nfkc": lambda s, _v: unicodedata.normalize("NFKC", s),
        "casefold": lambda s, _v: s.casefold(),
        "lowercase": lambda s, _v: s.lower(),
        "strip": lambda s, _v: s.strip(),
        "drop_invisible": lambda s, _v: s.translate(invisible),
        "drop_symbols": lambda s, _v: "".join(c for c in s if unicodedata.category(c) not in symbols),
        "unify_quotes": lambda s, _v: s.translate(quotes),
        "variants": lambda s, v: s.translate(v) if v else s,
        "cjk_spelled": lambda s, _v: spelled.sub(lambda m: re.sub(spelled_marks, "", m.group(0)), s),
        "cjk_glue": lambda s, _v: glue.sub("", s),
        "clause_marks": lambda s, _v: marks.sub(f" {mark} ", dash.sub(f" {mark} ", s)),
        "collapse_spaces": lambda s, _v: spaces.sub(" ", s),
        "collapse_all_spaces": lambda s, _v: all_spaces.sub(" ", s),
        "strip_clause_marks": lambda s, _v: s.strip(f" {mark}"),
    }
    forms = {form: tuple(_rewriter(raw.rewrites[step.partition(" ")[2]]) if step.startswith("rewrite ")
                         else steps[step] for step in names) for form, names in raw.forms.items()}
    return Normalizer(cjk, mark, marks, forms)


def load_normalizer(path: Path = NORMALIZE_FILE) -> Normalizer:
    return compile_normalizer(load_data_file(path, NormalizeFile))


_NORMALIZER = load_normalizer()
CJK = _NORMALIZER.cjk  # the Chinese character ranges, for patterns that tell Chinese from Latin text
CLAUSE_MARK = _NORMALIZER.clause_mark  # the answer form's clause boundary: negation never reaches across it
CLAUSE_MARKS = _NORMALIZER.clause_marks  # the punctuation the answer form turns into a clause boundary


def variant_table(variants: Mapping[str, str]) -> dict[int, str]:
    """Build a str.translate table from single-character traditional → simplified variants."""
    return {ord(k): v for k, v in variants.items()}


def normalize(text: str, variants: Mapping[int, str] | None = None, form: Form = "screen") -> str:
    """Fold width, case, variants, apostrophes and spacing into one canonical form (`form`: which reader's)."""
    return _NORMALIZER(text, variants, form)
