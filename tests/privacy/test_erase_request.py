"""Which typed messages ask to erase one's data (app/privacy/data/erase_request.yaml), in both languages."""
from __future__ import annotations

import pytest

from app.privacy.erase_request import asks_to_erase


@pytest.mark.parametrize("text", ["清除我的数据", "删除我的数据", "把聊天记录都删了", "我的答案都删了吧",
                                  "刪除我的資料", "clear my data", "delete everything I said",
                                  "Please erase my answers", "forget everything I told you", "wipe my data"])
def test_requests_to_erase(text: str) -> None:
    assert asks_to_erase(text)


@pytest.mark.parametrize("text", ["好几天", "今天删了一个bug", "清除缓存怎么弄", "delete the old branch",
                                  "kill the process", "", "清除我的数据" + "，" * 40])
def test_other_messages(text: str) -> None:
    assert not asks_to_erase(text)
