"""The one negation helper, as the crisis lexicon and the answer parser configure it."""
from __future__ import annotations

from app.language.negation import Cue, NegationRules, compile_negation

ZH = compile_negation(NegationRules(cues=[Cue(pattern="不|没有", max_gap=1)], pseudo=["不知道"],
                                    clause_breaks="[，,]"), "chars")
EN = compile_negation(NegationRules(cues=[Cue(pattern=r"\bnot\b", max_gap=2)], clause_breaks=r"\|"), "words")
ANCHORED = compile_negation(NegationRules(cues=[Cue(pattern="(不是|不|没)(都)?$", max_gap=0)],
                                          pseudo_regexes=["(差不|不管)$"], clause_breaks=r"\|"), "chars")


def _at(rules_text: str, phrase: str) -> int:
    return rules_text.index(phrase)


def test_a_cue_within_its_gap_negates_in_chinese_characters() -> None:
    assert ZH.negates("我不想死", _at("我不想死", "想死"))
    assert ZH.negates("我不太想死", _at("我不太想死", "想死"))
    assert not ZH.negates("我不太会想死", _at("我不太会想死", "想死"))


def test_negation_never_reaches_across_a_clause_break() -> None:
    assert not ZH.negates("我不，想死", _at("我不，想死", "想死"))
    assert not EN.negates("not me | want to die", _at("not me | want to die", "want"))


def test_a_pseudo_negation_is_no_cue() -> None:
    assert not ZH.negates("不知道想死", _at("不知道想死", "想死"))


def test_english_gaps_count_words() -> None:
    text = "i do not really want to die"
    assert EN.negates(text, _at(text, "want"))
    assert not EN.negates("not that i ever want it", _at("not that i ever want it", "want"))


def test_an_anchored_cue_must_end_right_before_the_match_unless_it_ends_another_word() -> None:
    assert ANCHORED.negates("不是每天", 2)
    assert ANCHORED.negates("没都每天", 2)
    assert not ANCHORED.negates("不是很每天", 3)
    assert ANCHORED.negates("很不每天", 2)
    assert not ANCHORED.negates("差不每天", 2)
    assert not ANCHORED.negates("不管每天", 2)


AFTER = compile_negation(NegationRules(cues=[Cue(pattern="不", max_gap=1)], clause_breaks="，",
                                       after=["(?<=念头)没有(?!停)"]), "chars")


def test_an_after_cue_negates_only_right_where_the_match_ends_and_only_when_given_the_end() -> None:
    text = "想死的念头没有"
    start, end = _at(text, "想死的念头"), len("想死的念头")
    assert AFTER.negates(text, start, end)
    assert not AFTER.negates(text, start)
    assert not AFTER.negates("想死的念头没有停过", start, end)
    assert not AFTER.negates("想死的念头，没有", start, end)
    assert not AFTER.negates("想死的冲动没有", start, end)
