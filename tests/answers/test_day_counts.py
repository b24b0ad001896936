"""How many days an answer names (app/answers/day_counts.py): the days of the symptom, not the days around it."""
from __future__ import annotations

import pytest

from app.answers.day_counts import read_share


@pytest.mark.parametrize("text", ["一周就休一天,六天都这样", "一周就休一天 其他六天都这样", "一周歇一天,六天都是"])
def test_a_day_off_is_no_day_of_the_symptom(text: str) -> None:
    """A line worker's week: the count after 休 is the day off; six of seven days is nearly every day."""
    reading = read_share(text, 14)
    assert reading is not None and reading.low == reading.high == pytest.approx(6 / 7)


def test_the_days_of_the_symptom_still_count_without_a_day_off() -> None:
    reading = read_share("一周有一天这样", 14)
    assert reading is not None and reading.low == reading.high == pytest.approx(1 / 7)


@pytest.mark.parametrize(("text", "share"), [("三天有两天是这样", 2 / 3), ("三天里有两天", 2 / 3),
                                             ("前三天里都这样", 3 / 14)])
def test_a_few_days_with_some_of_them_named_is_a_ratio(text: str, share: float) -> None:
    """"三天有两天" is two of every three days; a short span with no count after it is still its days."""
    reading = read_share(text, 14)
    assert reading is not None and reading.low == reading.high == pytest.approx(share)
