"""The answer parser's documented promises (issue 3): what it reads, and where it asks instead of guessing.

Each test names a kind of answer; the held-out sets and the goals are in test_answer_understanding.py.
"""
from __future__ import annotations

import pytest

from app.answers.parser import ParseResult, parse_answer
from app.config import ROOT
from app.scales.registry import ScaleRegistry


@pytest.fixture(scope="module")
def registry() -> ScaleRegistry:
    return ScaleRegistry.from_dir(ROOT / "scales")


def parse(registry: ScaleRegistry, scale: str, text: str) -> ParseResult:
    return parse_answer(registry[scale], text)


def parse_in(registry: ScaleRegistry, scale: str, text: str, locale: str) -> ParseResult:
    return parse_answer(registry[scale], text, locale)


@pytest.mark.parametrize("scale", ["phq9", "gad7"])
def test_nearly_every_day_in_colloquial_chinese(registry: ScaleRegistry, scale: str) -> None:
    assert parse(registry, scale, "差不多天天都这样").value == 3


@pytest.mark.parametrize("scale", ["phq9", "gad7"])
@pytest.mark.parametrize("text", ["一周有两三天吧", "有那么三两天心慌慌的"])
def test_two_or_three_days_a_week_is_several_days(registry: ScaleRegistry, scale: str, text: str) -> None:
    assert parse(registry, scale, text).value == 1


def test_half_the_days_plus_a_few_is_more_than_half(registry: ScaleRegistry) -> None:
    assert parse(registry, "gad7", "half the days plus a few more").value == 2


@pytest.mark.parametrize("scale", ["phq9", "gad7", "dass21"])
def test_not_at_all_is_zero(registry: ScaleRegistry, scale: str) -> None:
    assert parse(registry, scale, "not at all").value == 0


@pytest.mark.parametrize("text", ["不是每天", "not every day"])
def test_not_every_day_is_not_nearly_every_day_and_asks(registry: ScaleRegistry, text: str) -> None:
    result = parse(registry, "phq9", text)
    assert result.value is None  # neither "nearly every day" nor any other option is taken for sure
    assert result.candidates, "it should ask the employee to confirm"
    assert 0 not in result.candidates  # "not every day" still says it happened


def test_a_bare_zero_is_taken_on_every_scale(registry: ScaleRegistry) -> None:
    for scale in registry.all():
        assert parse_answer(scale, "0").value == 0, scale.id


@pytest.mark.parametrize(("scale", "digit"), [("phq9", "2"), ("phq9", "3"), ("gad7", "2"), ("pss10", "3")])
def test_a_bare_digit_that_could_be_a_count_asks(registry: ScaleRegistry, scale: str, digit: str) -> None:
    """On a frequency scale "2" may be option 2 or "2 days"/"2 times": a careful rater asks."""
    result = parse(registry, scale, digit)
    assert result.value is None
    assert int(digit) in result.candidates


@pytest.mark.parametrize(("scale", "digit"), [("phq9", "4"), ("gad7", "4"), ("pss10", "5")])
def test_a_bare_digit_beyond_the_option_values_is_not_taken(registry: ScaleRegistry, scale: str, digit: str) -> None:
    """Buttons show no numbers, so "4" on PHQ-9 reads as "4 days" (several days) as much as "the 4th button"."""
    assert parse(registry, scale, digit).value is None


def test_where_the_instructions_ask_for_a_number_a_digit_is_the_value(registry: ScaleRegistry) -> None:
    """DASS-21's English instructions say "choose a number 0, 1, 2 or 3"; its Chinese ones do not."""
    assert parse_in(registry, "dass21", "2", "en").value == 2
    assert parse_in(registry, "dass21", "a 2 I think", "en").value == 2
    assert parse_in(registry, "dass21", "2", "zh-CN").value is None
    assert parse_in(registry, "dass21", "2 or 3", "en").candidates == [2, 3]
    assert parse_in(registry, "dass21", "5", "en") == ParseResult()  # no such number: ask the item again
    assert parse_in(registry, "dass21", "4 or 5 days this week", "en").value == 2  # days, not option numbers


@pytest.mark.parametrize(("scale", "text"), [("phq9", "half the time"), ("gad7", "一半一半吧"),
                                             ("pss10", "a lot"), ("dass21", "not really")])
def test_a_phrase_between_two_options_asks_with_both(registry: ScaleRegistry, scale: str, text: str) -> None:
    result = parse(registry, scale, text)
    assert result.value is None and len(result.candidates) == 2
    assert result.candidates == sorted(registry[scale].in_between.get("en" if text.isascii() else "zh-CN", {})
                                       .get(text.removesuffix("吧"), result.candidates))


@pytest.mark.parametrize(("text", "value"), [("每周都有好几次", 3), ("several times a week", 3), ("一周一次", 2),
                                             ("每个月一两次", 1), ("a few times this month", 2), ("每周五六次", 4)])
def test_times_a_week_or_a_month_are_read_on_pss10(registry: ScaleRegistry, text: str, value: int) -> None:
    assert parse(registry, "pss10", text).value == value


def test_a_count_between_two_options_asks(registry: ScaleRegistry) -> None:
    assert parse(registry, "pss10", "每个月两三次").candidates == [1, 2]
    assert parse(registry, "phq9", "一周三四天").candidates == [1, 2]


@pytest.mark.parametrize("text", ["除了周末，上班的日子天天都是", "every weekday basically, weekends are ok"])
def test_every_working_day_is_more_than_half_the_days(registry: ScaleRegistry, text: str) -> None:
    assert parse(registry, "phq9", text).value == 2


@pytest.mark.parametrize(("text", "value"), [("两周里大概有三四天", 1), ("十二三天吧。。", 3), ("差不多有一周多", 2),
                                             ("only once", 1), ("基本上每晚都睡不着", 3), ("Every. Single. Night.", 3)])
def test_days_and_nights_said_in_words(registry: ScaleRegistry, text: str, value: int) -> None:
    assert parse(registry, "phq9", text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("phq9", "几乎美天", 3), ("phq9", "好几填", 1),
                                                      ("pss10", "有事", 2), ("pss10", "总事", 4)])
def test_a_pinyin_homophone_slip_is_repaired(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    assert parse(registry, scale, text).value == value


def test_a_phrase_typed_right_is_never_rewritten_into_another(registry: ScaleRegistry) -> None:
    """"几乎每天" holds "几乎每", one homophone away from "几乎没": the repair must not touch it."""
    assert parse(registry, "phq9", "不是几乎每天").value is None
    assert 0 not in parse(registry, "phq9", "不是几乎每天").candidates


@pytest.mark.parametrize(("scale", "text", "value"), [("phq9", "不会啊，胃口挺好的", 0),
                                                      ("phq9", "几乎每天都有，很难受。。。", 3),
                                                      ("dass21", "每天都口干舌燥", 3)])
def test_context_in_another_clause_or_echoing_the_item_is_not_doubt(
    registry: ScaleRegistry, scale: str, text: str, value: int
) -> None:
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize("text", ["每天都睡得很好", "几乎每天，还好", "好几天，其实更多", "every day, I'm fine"])
def test_words_that_call_the_answer_fine_or_correct_it_ask(registry: ScaleRegistry, text: str) -> None:
    assert parse(registry, "phq9", text).value is None


def test_a_denied_count_is_not_read_as_a_count(registry: ScaleRegistry) -> None:
    assert parse(registry, "pss10", "not once this month").value == 0
    assert parse(registry, "phq9", "不到三天").value is None


@pytest.mark.parametrize(("text", "value"), [("两周当中有十天左右", 2), ("of the last 14 days maybe 4 days", 1),
                                             ("11 days out of the two weeks", 2), ("3 or 4 out of 14", 1)])
def test_a_count_that_names_its_window_counts_against_it(registry: ScaleRegistry, text: str, value: int) -> None:
    assert parse(registry, "phq9", text).value == value


@pytest.mark.parametrize(("text", "value"), [("除了一两天，别的日子都有", 3), ("every day except one", 3),
                                             ("all but two days", 3), ("除了两三天", None), ("除了五天", 2)])
def test_all_the_days_but_a_few(registry: ScaleRegistry, text: str, value: int | None) -> None:
    assert parse(registry, "phq9", text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("dass21", "星期一到星期四都这样", 2), ("phq9", "周一至周五", 2),
                                                      ("phq9", "tue to thu", 1), ("phq9", "only at weekends", 1),
                                                      ("dass21", "只有周末", 1)])
def test_weekdays_named(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize("text", ["几乎每天吧，说不准", "nearly every day? not sure", "several days, it varies"])
def test_an_answer_the_employee_calls_unsure_asks(registry: ScaleRegistry, text: str) -> None:
    result = parse(registry, "phq9", text)
    assert result.value is None and result.candidates


@pytest.mark.parametrize("text", ["same as always", "as usual, always tense", "same as ever"])
def test_the_employees_usual_is_no_frequency(registry: ScaleRegistry, text: str) -> None:
    assert parse_in(registry, "dass21", text, "en").value is None


@pytest.mark.parametrize(("text", "value"), [("一次", 1), ("就两次吧", 1), ("3 times", 2), ("not a single time", 0),
                                             ("一次也没", 0)])
def test_times_with_no_period_are_times_in_the_scales_month(registry: ScaleRegistry, text: str, value: int) -> None:
    assert parse(registry, "pss10", text).value == value


def test_a_number_then_why_is_the_number_where_a_number_is_asked(registry: ScaleRegistry) -> None:
    assert parse_in(registry, "dass21", "3 - awful week honestly", "en").value == 3
    assert parse_in(registry, "dass21", "1, work was ok", "en").value == 1
    assert parse_in(registry, "dass21", "1, no actually 2", "en").value is None
    assert parse_in(registry, "dass21", "2 - 很累", "zh-CN").value is None


@pytest.mark.parametrize(("text", "value"), [("several days when the kids were sick", 1),
                                             ("加班那阵子有好几天", 1), ("nearly every day, regardless of shifts", 3),
                                             ("I have not felt that at all", 0), ("v often, like all week", None),
                                             ("a few days before the deadline, so maybe 3", 1)])
def test_words_that_only_say_when_are_context(registry: ScaleRegistry, text: str, value: int | None) -> None:
    assert parse(registry, "phq9", text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("dass21", "除了周六都是", 3),
                                                      ("phq9", "every day but sundays", 3),
                                                      ("dass21", "除了周六周日", None), ("phq9", "一周一两回", 1)])
def test_every_day_but_a_named_one_and_times_said_as_hui(registry: ScaleRegistry, scale: str, text: str,
                                                         value: int | None) -> None:
    assert parse(registry, scale, text).value == value


def test_not_one_good_day_says_every_day_and_calls_nothing_fine(registry: ScaleRegistry) -> None:
    assert parse(registry, "phq9", "几乎每天，没有一天好过").value == 3
    assert parse(registry, "phq9", "几乎每天，但现在好了").value is None


def test_common_words_are_not_respelt_into_scale_words(registry: ScaleRegistry) -> None:
    assert parse(registry, "gad7", "the days before exams, so about 3 of them").value == 1


@pytest.mark.parametrize(("scale", "text"), [("phq9", "差不多一半"), ("gad7", "roughly half")])
def test_about_half_asks_however_it_is_said(registry: ScaleRegistry, scale: str, text: str) -> None:
    assert parse(registry, scale, text).candidates == [1, 2]


@pytest.mark.parametrize("text", ["一晚都没睡好", "一天也没睡踏实过", "没有一天是开心的", "没有一天高兴的",
                                  "没有一天顺心", "not a single night of decent sleep"])
def test_not_one_good_night_is_never_read_as_not_at_all(registry: ScaleRegistry, text: str) -> None:
    """A misreading here would score someone who sleeps badly every night as 0."""
    result = parse(registry, "phq9", text)
    assert result.value is None and result.candidates == [3]


def test_emoji_are_no_words(registry: ScaleRegistry) -> None:
    assert parse(registry, "gad7", "几乎每天都这样 😮‍💨🙏").value == 3


@pytest.mark.parametrize(("text", "value"), [("no, appetite's fine actually", 0), ("several days, actually more", None),
                                             ("有几天吧，其他时候还好", 1), ("nearly every day, fine otherwise", 3)])
def test_emphasis_and_the_rest_of_the_time_are_context(registry: ScaleRegistry, text: str,
                                                       value: int | None) -> None:
    assert parse(registry, "phq9", text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("dass21", "sort of, a little", 1), ("dass21", "kinda", None),
                                                      ("pss10", "often, maybe very often", None)])
def test_a_sure_phrase_inside_an_in_between_one_decides_unless_offered_as_an_alternative(
    registry: ScaleRegistry, scale: str, text: str, value: int | None
) -> None:
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize(("text", "candidates"), [("three, four days a week", [1, 2]), ("五、六天", [1])])
def test_a_range_split_by_a_comma_is_one_range(registry: ScaleRegistry, text: str, candidates: list[int]) -> None:
    result = parse(registry, "gad7", text)
    assert (result.candidates if result.value is None else [result.value]) == candidates


def test_a_count_denied_after_it_is_none(registry: ScaleRegistry) -> None:
    assert parse(registry, "pss10", "这个月一次都没有").value == 0
    assert parse(registry, "phq9", "两周里就一两天没这样").value == 3


@pytest.mark.parametrize(("scale", "text", "value"), [("phq9", "冇，一切都好", 0), ("phq9", "成日都系咁", 3),
                                                      ("gad7", "间中有啲", 1), ("pss10", "好少啫", 1),
                                                      ("gad7", "呒没", 0), ("phq9", "压根儿没这事儿", 0)])
def test_cantonese_wu_and_beijing_words_are_read(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    assert parse(registry, scale, text).value == value


def test_chinese_words_that_only_look_like_dialect_are_left_alone() -> None:
    from app.answers.dialect import to_mandarin
    assert to_mandarin("没关系，好几天") == "没关系，好几天"
    assert to_mandarin("never") == "never"


@pytest.mark.parametrize(("text", "value"), [("隔一天来一次", 3), ("every other day", 3), ("weekly, roughly", 2),
                                             ("monthly", 1)])
def test_every_other_day_and_weekly_on_pss10(registry: ScaleRegistry, text: str, value: int) -> None:
    assert parse(registry, "pss10", text).value == value


@pytest.mark.parametrize(("text", "value"), [("just a day or two", 1), ("only on fridays", 1), ("就周五那天", 1),
                                             ("every day, no break", 3)])
def test_a_day_or_two_and_one_weekday_on_dass21(registry: ScaleRegistry, text: str, value: int) -> None:
    assert parse(registry, "dass21", text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "sevral", 1), ("phq9", "nearly evrey day", 3),
                                                      ("gad7", "several, maybe more", None),
                                                      ("gad7", "some day yes, not many", 1),
                                                      ("phq9", "Every day I worry for my son", 3)])
def test_one_slipped_letter_and_second_language_english(registry: ScaleRegistry, scale: str, text: str,
                                                        value: int | None) -> None:
    assert parse(registry, scale, text).value == value


def test_not_at_all_describing_the_symptom_is_not_the_answer(registry: ScaleRegistry) -> None:
    assert parse_in(registry, "dass21", "very much, could not relax at all", "en").value == 3
    assert parse_in(registry, "dass21", "I have not felt that at all", "en").value == 0


def test_a_count_of_symptom_days_with_the_verb_before_the_negation_is_read(registry: ScaleRegistry) -> None:
    assert parse(registry, "phq9", "两周十四天有十二天睡不着").value == 3
    assert parse(registry, "phq9", "两天没睡好").value is None  # the days without? asks


def test_a_plain_no_is_not_at_all_on_dass21_but_not_every_day_asks(registry: ScaleRegistry) -> None:
    assert parse(registry, "dass21", "不是，我挺能放松的").value == 0
    assert parse(registry, "dass21", "不是每天").value is None


def test_yes_and_no_in_one_breath_asks(registry: ScaleRegistry) -> None:
    assert parse(registry, "dass21", "有点符合又不太符合").value is None


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "没有一天不担心", 3),
                                                      ("phq9", "not a day goes by without it", 3),
                                                      ("pss10", "没有哪次不烦的", 4)])
def test_a_double_negation_is_every_time(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("dass21", "nope, slept fine all week", 0),
                                                      ("phq9", "瘦了好几斤，几乎每天", 3),
                                                      ("phq9", "几乎天天，不知道咋整", 3),
                                                      ("phq9", "I not have this problem", 0),
                                                      ("pss10", "some times yeah", 2)])
def test_what_is_not_fine_doubt_or_a_count(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    """"好几斤" is not "good", "不知道咋整" is no doubt about the answer, "all week" beside "fine" counts fine days."""
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("pss10", "once a week or maybe more", None),
                                                      ("phq9", "一周四五天，其实更多", None),
                                                      ("phq9", "其实一周四五天吧", 2),
                                                      ("gad7", "一天不落", 3),
                                                      ("gad7", "couple of days, that was it", 1)])
def test_a_count_can_be_corrected_and_not_missing_a_day_is_every_day(registry: ScaleRegistry, scale: str, text: str,
                                                                     value: int | None) -> None:
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "every day, no exception", 3),
                                                      ("gad7", "daily, it never stops", 3),
                                                      ("gad7", "one week yes, one week no", None),
                                                      ("pss10", "not even one time", 0),
                                                      ("gad7", "morethan half the days", 2),
                                                      ("dass21", "一周七天没一天例外", 3)])
def test_idioms_of_always_never_and_yes_and_no(registry: ScaleRegistry, scale: str, text: str,
                                               value: int | None) -> None:
    assert parse(registry, scale, text).value == value


def test_a_number_with_a_word_of_certainty_is_the_number(registry: ScaleRegistry) -> None:
    assert parse_in(registry, "dass21", "3 def", "en").value == 3


@pytest.mark.parametrize(("scale", "text", "value"), [("phq9", "日日都系咁，冇办法", 3),
                                                      ("phq9", "除了上礼拜天，其他天都这样", 3),
                                                      ("gad7", "couple days before payday", 1),
                                                      ("gad7", "only on the days I had the audit", 1),
                                                      ("phq9", "nah im fine with that one", 0)])
def test_v14_phrasings_of_the_kinds_it_found(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    """"冇办法" (no way out) is no "no"; a weekday named with 上; "couple days"; the days something happened."""
    assert parse(registry, scale, text).value == value


def test_not_one_energetic_day_is_the_top_option_never_none(registry: ScaleRegistry) -> None:
    assert parse(registry, "phq9", "这俩礼拜就没一天有精神的").value == 3


@pytest.mark.parametrize(("scale", "text", "value"), [("pss10", "就没有不闹心的时候", 4),
                                                      ("phq9", "没有不好的时候", 0), ("phq9", "没有不开心的时候", 0),
                                                      ("gad7", "没有不放松的时候", 0)])
def test_never_a_time_without_it_is_always(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    """A double negation says always; "never not fine" says the opposite."""
    assert parse(registry, scale, text).value == value


@pytest.mark.parametrize("text", ["三四天还是七八天，我也记不清了", "两三天还是一礼拜，记不住了"])
def test_a_count_they_cannot_remember_asks(registry: ScaleRegistry, text: str) -> None:
    assert parse(registry, "phq9", text).value is None


def test_never_once_a_good_day_asks_with_the_top_option(registry: ScaleRegistry) -> None:
    """"没好过一天" holds "一天", which alone would read as a few days."""
    assert parse(registry, "phq9", "两个礼拜就没好过一天").candidates == [3]


@pytest.mark.parametrize(("scale", "text", "value"), [("gad7", "这两周没这毛病", 0), ("dass21", "很大程度上是", 2),
                                                      ("phq9", "不是天天，就零零星星几天", 1),
                                                      ("pss10", "always, the bills never stop", 4)])
def test_v15_phrasings_of_the_kinds_it_found(registry: ScaleRegistry, scale: str, text: str, value: int) -> None:
    assert parse(registry, scale, text).value == value
