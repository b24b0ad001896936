"""The answer words are data: every file loads, and a malformed one is refused naming the file and the key."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from app.answers import vocabulary as v
from app.answers.wording import plain_words
from app.language.data_file import DataFileError, load_data_file

FILES: dict[str, type[BaseModel]] = {"reading.yaml": v.ReadingFile, "day_counts.yaml": v.DayCountsFile,
                                     "wording.yaml": v.WordingFile, "dialect.yaml": v.DialectFile,
                                     "typo_repair.yaml": v.TypoFile, "hedges.yaml": v.HedgesFile}


def test_every_data_file_is_read() -> None:
    assert sorted(p.name for p in v.DATA_DIR.glob("*.yaml")) == sorted(FILES)
    for name, model in FILES.items():
        load_data_file(v.DATA_DIR / name, model)


def _broken(tmp_path: Path, name: str, change: dict[str, object]) -> Path:
    raw = yaml.safe_load((v.DATA_DIR / name).read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, key = dotted.split(".")
        node = raw
        for p in parents:
            node = node[p]
        if value is None:
            del node[key]
        else:
            node[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "change", "key"), [
    ("reading.yaml", {"hedge": "(unclosed"}, "hedge"),
    ("reading.yaml", {"en_filler": None}, "en_filler"),
    ("reading.yaml", {"negation.zh.cues": [{"pattern": "不", "max_gap": 99}]}, "negation.zh.cues.0.max_gap"),
    ("reading.yaml", {"no_good_day": "没{nice}"}, "unknown fragment {nice}"),
    ("reading.yaml", {"surprise": ["extra"]}, "surprise"),
    ("day_counts.yaml", {"patterns.count": "{rang}天"}, "patterns.count"),
    ("day_counts.yaml", {"day_names.mon": 8}, "day_names"),
    ("day_counts.yaml", {"patterns.week": None}, "patterns.week"),
    ("day_counts.yaml", {"worded_ranges": {"三两": [2.0]}}, "worded_ranges"),
    ("wording.yaml", {"plain": [["[bad", "x"]]}, "plain.[0]"),
    ("wording.yaml", {"plain": [["没有不(?!{nice})", "x"]]}, "unknown fragment {nice}"),
    ("dialect.yaml", {"words": {}}, "words"),
    ("typo_repair.yaml", {"compounds": ["alot"]}, "compounds"),
    ("hedges.yaml", {"zh-CN": None}, "zh-CN"),
])
def test_a_malformed_data_file_is_refused_naming_file_and_key(tmp_path: Path, name: str,
                                                               change: dict[str, object], key: str) -> None:
    with pytest.raises(DataFileError) as err:
        load_data_file(_broken(tmp_path, name, change), FILES[name])
    assert str(err.value).startswith(f"{tmp_path / name}: ")
    assert key in str(err.value)


@pytest.mark.parametrize(("text", "plain"), [
    ("every night", "every day"),
    ("每晚都这样", "每天都这样"),
    ("冇啊", "没有啊"),
    ("压根儿没有", "压根没有"),
    ("no matter what", "regardless what"),
    ("not a single day without it", "every day it"),
    ("无时不刻都在烦", "无时无刻都在烦"),
    ("莫有 巴适得很", "没有 | 舒服得很"),
    ("一天都没断过", "每天"),
    ("莫得一天不烦的", "每天烦的"),
    ("差不多没有", "几乎没有"),
    ("差不多每天", "差不多每天"),
    ("一天到黑都这样", "一天到晚都这样"),
    ("有几日啦", "有几天啦"),
    ("冇一日放松过", "没有一天放松过"),
    ("每日都觉得顶唔顺", "每天都觉得受不了"),
    ("一次都未试过", "一次都没有过"),
    ("有阵时会", "有时候会"),
    ("生日那日", "生日那日"),
    ("多半日子", "多半日子"),
    ("嘎嘎符合", "非常符合"),
    ("心挺静的，没那事", "心挺静的 | 没有这事"),
])
def test_an_answer_is_said_plainly(text: str, plain: str) -> None:
    assert plain_words(text) == plain
