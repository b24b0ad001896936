"""Answers typed with an aside or a reason beside them (held-out sets v16-v19): the answer is read, the aside is
context; words that deny or correct the answer still make the parser ask or change its reading."""
from __future__ import annotations

import pytest

from app.answers.parser import parse_answer
from app.config import ROOT
from app.scales.registry import ScaleRegistry


@pytest.fixture(scope="module")
def registry() -> ScaleRegistry:
    return ScaleRegistry.from_dir(ROOT / "scales")


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "有几天 怕赶不上末班车", 1),
                                                      ("dass21", "有时候 周末加班以后", 1)])
def test_a_space_between_chinese_phrases_parts_clauses(registry: ScaleRegistry, scale: str, text: str,
                                                       value: int) -> None:
    assert parse_answer(registry[scale], text, "zh-CN").value == value


def test_one_spaced_out_character_is_still_one_word(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["phq9"], "每 天", "zh-CN").value == 3


def test_an_option_denied_right_after_it_is_not_the_answer(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["pss10"], "偶尔都不算，经常", "zh-CN").value == 3
    assert not parse_answer(registry["pss10"], "偶尔也不算", "zh-CN").sure


def test_a_symptom_word_with_a_negation_is_no_count_of_days_without_it(registry: ScaleRegistry) -> None:
    """"就两天没精神" counts days with the symptom (没精神), not every day but two; "就一两天没这样" does."""
    assert not parse_answer(registry["phq9"], "一周就两天没精神", "zh-CN").sure
    assert parse_answer(registry["phq9"], "两周就一两天没这样", "zh-CN").value == 3


def test_a_bare_no_opening_the_answer_is_none(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["gad7"], "没，最近挺轻松", "zh-CN").value == 0


@pytest.mark.parametrize("text", ["天天都好焦虑", "成天好烦"])
def test_hao_before_a_feeling_is_very_not_fine(registry: ScaleRegistry, text: str) -> None:
    assert parse_answer(registry["gad7"], text, "zh-CN").value == 3


@pytest.mark.parametrize(("scale", "text", "locale"), [("phq9", "3 i think", "en"), ("gad7", "3吧", "zh-CN")])
def test_a_number_with_words_that_add_nothing_asks_with_its_readings(registry: ScaleRegistry, scale: str, text: str,
                                                                   locale: str) -> None:
    """Read as the bare number would be (the value, the third button, three days), so the bot asks; and the crisis
    decision knows the words for an answer to the open item."""
    assert parse_answer(registry[scale], text, locale).candidates == [1, 2, 3]


def test_a_number_of_days_is_still_a_count_of_days(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["gad7"], "maybe 3 days", "en").value == 1


@pytest.mark.parametrize(("scale", "text"), [("phq9", "经常，不是天天"), ("gad7", "经常，但也不是天天"),
                                             ("phq9", "often but not daily")])
def test_a_word_between_two_options_with_one_of_them_denied_is_the_other(registry: ScaleRegistry, scale: str,
                                                                        text: str) -> None:
    """"Often" sits between "more than half the days" and "nearly every day"; "not daily" leaves the first (v19)."""
    assert parse_answer(registry[scale], text).value == 2


def test_a_word_between_two_options_alone_still_asks(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["phq9"], "经常").candidates == [2, 3]


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "几天而已 还好", 1),
                                                      ("phq9", "赶货那几天有点，平时还好", 1),
                                                      ("dass21", "有时候吧，还行", 1)])
def test_fine_beside_the_mildest_frequency_plays_it_down(registry: ScaleRegistry, scale: str, text: str,
                                                         value: int) -> None:
    assert parse_answer(registry[scale], text, "zh-CN").value == value


@pytest.mark.parametrize(("scale", "text"), [("gad7", "每天都这样，还好"), ("phq9", "一半以上吧，还行")])
def test_fine_beside_a_frequent_answer_still_asks(registry: ScaleRegistry, scale: str, text: str) -> None:
    assert not parse_answer(registry[scale], text, "zh-CN").sure


@pytest.mark.parametrize(("scale", "text", "value", "locale"), [("dass21", "俺不这样", 0, "zh-CN"),
                                                                ("phq9", "木得", 0, "zh-CN"),
                                                                ("gad7", "every day no joke", 3, "en"),
                                                                ("gad7", "ngl every day", 3, "en")])
def test_held_out_v21_words(registry: ScaleRegistry, scale: str, text: str, value: int, locale: str) -> None:
    assert parse_answer(registry[scale], text, locale).value == value


def test_a_bare_no_such_thing_is_none_but_a_wish_not_to_exist_is_no_answer(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["gad7"], "不存在的", "zh-CN").value == 0
    wish = parse_answer(registry["phq9"], "我希望我不存在", "zh-CN")
    assert wish.value is None and 0 not in wish.candidates


@pytest.mark.parametrize(("scale", "text", "locale"), [
    ("phq9", "失眠倒没有，就是睡太多", "zh-CN"),
    ("dass21", "breathing difficulty no, but i did have a couple moments where my chest felt tight", "en"),
])
def test_none_then_a_turn_that_says_more_asks(registry: ScaleRegistry, scale: str, text: str, locale: str) -> None:
    result = parse_answer(registry[scale], text, locale)
    assert not result.sure and 0 in result.candidates


@pytest.mark.parametrize(("text", "locale"), [("没有，不过还好", "zh-CN"), ("no, but fine", "en")])
def test_none_then_a_turn_that_only_says_fine_stays_none(registry: ScaleRegistry, text: str, locale: str) -> None:
    assert parse_answer(registry["phq9"], text, locale).value == 0


@pytest.mark.parametrize("text", ["occasionally", "not that often", "not too often"])
def test_pss10_occasionally_sits_between_almost_never_and_sometimes(registry: ScaleRegistry, text: str) -> None:
    result = parse_answer(registry["pss10"], text, "en")
    assert not result.sure and result.candidates == [1, 2]


@pytest.mark.parametrize("scale", ["pss10", "dass21"])
def test_a_bare_never_in_chinese_is_none(registry: ScaleRegistry, scale: str) -> None:
    assert parse_answer(registry[scale], "从来没", "zh-CN").value == 0


@pytest.mark.parametrize("text", ["non-stop", "non stop since Q3 planning"])
def test_non_stop_is_the_top_option_never_none(registry: ScaleRegistry, text: str) -> None:
    for name in ("phq9", "gad7", "pss10", "dass21"):
        assert parse_answer(registry[name], text, "en").value == registry[name].max_value


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "交关紧张，一日到夜放勿落", 3),
                                                      ("dass21", "一日到夜静勿下来", 3),
                                                      ("pss10", "勿曾有过", 0)])
def test_wu_all_day_long_and_not(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    assert parse_answer(registry[scale], text, "zh-CN").value == value


@pytest.mark.parametrize(("scale", "text"), [("dass21", "俺没那样"), ("phq9", "我没那样"), ("gad7", "没那样过"),
                                             ("pss10", "俺没那样")])
def test_not_like_that_is_not_at_all(registry: ScaleRegistry, scale: str, text: str) -> None:
    assert parse_answer(registry[scale], text, "zh-CN").value == 0


@pytest.mark.parametrize(("scale", "text", "value", "locale"), [("gad7", "多于一半的天数", 2, "zh-CN"),
                                                                ("gad7", "every damn day", 3, "en"),
                                                                ("pss10", "蛮多次的", 3, "zh-CN"),
                                                                ("pss10", "好多次", 3, "zh-CN"),
                                                                ("pss10", "有过多次", 2, "zh-CN"),
                                                                ("phq9", "10/14 天", 2, "zh-CN"),
                                                                ("phq9", "0/14 days", 0, "en"),
                                                                ("gad7", "14/14", 3, "en"),
                                                                ("dass21", "2/7", 1, "zh-CN"),
                                                                ("phq9", "14天有9天左右", 2, "zh-CN")])
def test_more_than_half_an_oath_many_times_and_days_as_a_fraction(registry: ScaleRegistry, scale: str, text: str,
                                                                  value: int, locale: str) -> None:
    assert parse_answer(registry[scale], text, locale).value == value


@pytest.mark.parametrize(("scale", "text", "locale"), [("phq9", "no no", "en"), ("gad7", "no, no", "en"),
                                                       ("phq9", "没那回事儿", "zh-CN")])
def test_a_denial_said_twice_or_no_such_thing_is_none(registry: ScaleRegistry, scale: str, text: str,
                                                       locale: str) -> None:
    assert parse_answer(registry[scale], text, locale).value == 0


def test_a_double_negative_is_still_no_none(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["phq9"], "不是没有", "zh-CN").value is None


def test_a_number_spelled_out_is_read_as_its_digit(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["dass21"], "two", "en").value == 2
    phq9 = registry["phq9"]
    assert parse_answer(phq9, "two", "en").candidates == parse_answer(phq9, "2", "en").candidates


def test_asking_what_a_count_amounts_to_asks_back(registry: ScaleRegistry) -> None:
    result = parse_answer(registry["pss10"], "一个月几次算啥？", "zh-CN")
    assert result.value is None and result.candidates == [2]


def test_fifty_fifty_is_no_count_of_days(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["gad7"], "50/50", "en").value is None


def test_asking_whether_is_no_none_and_unsure_asks(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["pss10"], "常在想有没有漏发药，很常", "zh-CN").value != 0
    assert parse_answer(registry["gad7"], "不太清楚，可能有可能没有", "zh-CN").value is None


def test_cantonese_meaningless_is_no_none_and_hunan_dont_know_asks(registry: ScaleRegistry) -> None:
    assert parse_answer(registry["dass21"], "每日都觉得冇意思", "zh-CN").value != 0
    assert parse_answer(registry["phq9"], "晓不得，冇数过", "zh-CN").value is None
