"""Cantonese and Wu words employees type in chat, read as the Mandarin the scales' phrases are written in.

Only words that cannot be Mandarin in an answer are listed ("冇", "唔", "系咁"); a lone "系" (关系, 系统) is not.
"""
from __future__ import annotations

import re

_WORDS = {"冇": "没有", "唔会": "不会", "唔系": "不是", "唔算": "不算", "唔": "不", "呒没": "没有", "呒": "没",
          "系咁": "是这样", "总系": "总是", "都系": "都是", "成日": "成天", "日日": "天天", "间中": "偶尔",
          "有啲": "有点", "啲": "点",
          "好少": "很少", "咁": "这样", "乜": "什么", "嘅": "的", "瞓": "睡", "边度": "哪里"}
_PATTERN = re.compile("|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)))
_CLAUSE_END_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])(?:啫|喇|嘞|噶|额)(?=$|[\s|])")


def to_mandarin(text: str) -> str:
    """Dialect words to Mandarin; a clause-final particle ("蛮好额", "好少啫") is dropped."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    return _CLAUSE_END_PARTICLE.sub("", _PATTERN.sub(lambda m: _WORDS[m.group(0)], text))
