"""The issue's examples for the crisis screen: hits, negated checks, hyperbole, normalisation, thread safety."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from app.safety.crisis_screen import ScreenResult, screen, screen_with
from app.safety.lexicon import DEFAULT_LEXICON, LexiconFileError, load_lexicon

HITS = [
    "吃药自jin算了", "不割两下就睡不着", "我要是出了事赔偿比我挣的都多", "let the dog bite me on purpose",
    "真想结束生明", "申请退出地球群聊", "不割就睡不着", "I'm only waiting to die now",
    "不想活了", "我不想活了", "活着没意思", "我想一了百了", "割腕", "我想跳楼", "我想结束自己的生命",
    "没有活下去的意义", "I want to die", "I just want to end it all", "I'm going to kill myself",
    "there is no reason to live", "I don't want to live anymore", "我已经写好遗书了", "永别了，大家",
    "I've been stockpiling my pills", "goodbye cruel world", "我好想死",
    "昨晚我认真想过去死", "最近总寻思死", "我真想躺板板算了", "下周一就是我的忌日", "真的不想见到明天了",
    "我永远消失最好", "been thinkin about sucide again", "I keep considering suicde",
    "死了反倒轻松些", "我的人生体验卡过期了", "tempted to alt+f4 my life", "i dun wanna live liao",
    "if you never hear from me again, thank you", "扇了自己好几个耳光 脸都肿了",
    "烧碳要买多少", "真想把自己搞没了", "胳膊又被我抓得全是血", "removing me is the simplest solution",
    "这条命我也不想要了", "打算人生重开", "回到家第一个念头就是去死", "脑子里唯一的想法是：死",
    "车祸什么时候轮到我", "I keep hoping for a car crash on the way in",
    "my wife would be relieved without me", "taking me out of the picture solves it", "今天终于想明白了，不活了",
    "dragged a scalpel across my forearm again", "been saving up all the antidepressants",
    "need to cut again, can't stop", "thinking of topping myself", "swallowed a whole packet of sleeping pills",
    "为什么还不去死", "过马路被车撞了就好了", "wish that truck had killed me", "买根绳子吊死得了",
    "被钢筋砸死也好", "这个月划了快二十道了", "工伤死了老婆有钱", "insurance pays more if I'm dead",
    "If I were gone she could go home and start over", "me still being alive is what's ruining him",
    "my arms look like a barcode", "被机器卷进去算了", "交班后去河边了结", "死了还能赔点钱", "我要资杀",
    "有点遗憾没摔死", "我要调楼", "今晚揸車落海", "今晚破戒了，划得挺多", "冇我仲好啦",
    "Remove me and the family's balance sheet finally looks okay", "宁愿没出生过", "死的念头没有停过",
    "被逼到想自杀", "不活了 爱咋咋地", "巴不得生病走了", "better off in the ground", "切菜故意切到手",
    "tbh dying sounds restful", "欠债拿命还吧", "绝笔写好了", "every morning I'm disappointed that I'm still here",
    "自杀的念头没断过", "我本来就该消失才对", "死了倒省心", "I'd rather be six feet under", "明晚去跳矿井",
    "最近一直想qs", "我活着又有何用", "叉车压死我算了", "软管接上尾气通进车里", "玻璃水我已经喝了", "开车冲进河里",
    "我这种废物该死", "I burned my wrist on the grill on purpose", "想早点投胎", "好想歹匕", "怕护士问是怎么弄的",
    "天热也穿长袖，手臂上都是疤", "这次划得比上次深", "结速自己的生命", "投胎重开吧", "想自杀的念头从来没这么清楚过",
    "死的念头？没断过", "脑子里全是自杀", "好想有辆泥头车撞过来", "honestly worth more dead", "拿剪子扎大腿",
    "又有倾生念头", "往大货车前一站", "hose from the exhaust into my car", "exhaust hose into the cab",
]
CHECKS = ["我没有想过自杀", "I would never kill myself", "我不想死", "I'm not suicidal", "我从来没有想过要结束生命",
          "自杀的念头没有", "自杀的想法倒是没有", "自杀计划基本没有", "想死的念头？没有"]
NOT_HITS = [
    "累死了", "气死我了", "笑死", "饿死了", "this deadline is killing me", "I could die of embarrassment",
    "这家店在搞跳楼价大甩卖", "想死你了", "我想跳槽", "电脑又死机了", "几乎每天", "完全不会", "",
    "我想过去帮他搬家", "寻思着晚上吃啥", "不想见到明天的早会", "今天是我奶奶的忌日", "we will succeed",
    "恨不得扇自己两巴掌", "游戏账号注销了", "I don't wanna live in Shanghai", "ctrl+z my last edit",
    "加班累到想死", "烧碳烤肉真香", "不想再熬夜了",
    "为了赚钱他命都不要了", "他的想法是死板了点", "第一个念头是死机了",
    "羡慕死我了", "这局崩了，重开吧", "好事从来轮不到我",
    "the team will be fine without me for a week", "she'd be happier without me for the weekend",
    "这盆花浇太多水不活了", "鱼苗放进去就不活了", "ran the knife across the cutting board",
    "we need to cut costs", "top myself up with coffee first", "took a whole box of tissues to the meeting",
    "这盆花怎么还不死", "does bleach kill mould", "蘑菇吃了会死吗", "我怎么还不死心", "怎么还不死机",
    "被钢筋砸到脚了", "这题划了三道线", "凌晨三点上天台收衣服", "If I were gone for a week she could cover",
    "my barcode scanner is dead", "喝下去要多少水才够", "被卷进去的风险", "去河边了结这桩事", "我要资料",
    "死了的账户还能赔钱吗", "他工伤死了家里拿了赔偿", "可惜没砸死他", "我要调楼层", "车开进河里了",
    "稀料能不能洗掉油漆", "破戒了，吃了炸鸡", "冇我份", "remove me from the mailing list, it will be fine",
    "我宁愿死也不加班", "宁愿没出生在这个月", "死的念头没有", "想死那题选没有", "I'm at the bridge now, where are you?",
    "这个降压药饭后吃行吗", "手机电池就活到今天了", "巴不得他生病走了", "the cat is better off in the garden",
    "这是齐白石的绝笔之作", "拿命换钱的工作", "这个蘑菇吃了会死不", "the knot holds the tent", "切菜不小心切到手",
    "disappointed that I'm still here at the office at 9pm?", "we go up to the roof after lunch for a smoke",
    "我该消失几天，手机关机", "I'd rather be dead than sing karaoke", "井盖边上跳绳", "这楼几层高", "要你何用",
    "笑死我了", "开那么快赶着去投胎啊", "车漆划得更深了", "I burned my hand on the stove by accident",
    "怕家人看到伤口担心", "长袖防晒衣", "心里都是想家", "worth more than the car",
]


@pytest.mark.parametrize("text", HITS)
def test_crisis_language_is_a_hit(text: str) -> None:
    result = screen(text)
    assert result.level == "hit", result
    assert result.matched is not None and text not in result.matched


@pytest.mark.parametrize("text", CHECKS)
def test_negated_mentions_are_a_check(text: str) -> None:
    assert screen(text).level == "check"


@pytest.mark.parametrize("text", ["同事们都以为我要回老家", "nobody will check on me this weekend"])
def test_a_farewell_or_a_time_hidden_from_others_is_a_check(text: str) -> None:
    result = screen(text)
    assert result.level == "check" and result.reason == "plan_farewell", result


@pytest.mark.parametrize("text", NOT_HITS)
def test_idioms_hyperbole_and_answers_are_not_hits(text: str) -> None:
    assert screen(text).level != "hit"


@pytest.mark.parametrize("text", ["累死了", "气死我了", "笑死", "this deadline is killing me", "几乎每天",
                                  "不划两下手机睡不着", "is 18 metres of cable enough?", "friday, the bridge club",
                                  "the vet took the vials home to restock", "这绳够吊货吗",
                                  "how long to die in this game", "退出人生赢家群", "不割草不行",
                                  "买点敌敌畏杀虫", "the exhaust pipe is rusty", "我是这个项目的负责人",
                                  "交警往大货车前一站，司机就停了"])
def test_ordinary_talk_is_none(text: str) -> None:
    assert screen(text) == ScreenResult("none", None)


@pytest.mark.parametrize(
    "text",
    [
        "不 想 活 了",  # spaces inside the phrase
        "不.想.活.了",
        "不，想，活，了",
        "Ｉ ｗａｎｔ ｔｏ ｄｉｅ",  # full-width Latin
        "我不想活了！",  # full-width punctuation
        "I DONT WANT TO LIVE ANYMORE",  # case, missing apostrophe
        "I don’t want to live anymore",  # curly apostrophe
        "我真的不想活著了",  # traditional 著
        "我想自殺",  # traditional 殺
        "這樣活著還有什麼意思",
        "不想活了😭",
        "想\u200b死",  # zero-width space
    ],
)
def test_normalisation(text: str) -> None:
    assert screen(text).level == "hit", text


def test_negation_does_not_cross_a_clause() -> None:
    assert screen("我没有办法，我想死").level == "hit"
    assert screen("No, I want to die").level == "hit"
    assert screen("I'm not okay and I want to die").level == "hit"


def test_a_later_unnegated_mention_wins_over_a_negated_one() -> None:
    assert screen("我不想死，但是又真的想死").level == "hit"
    assert screen("I don't want to die but I want to kill myself").level == "hit"


def test_matched_is_an_entry_id_never_the_text() -> None:
    ids = {e.id for e in load_lexicon().entries}
    assert screen("我真的好想死啊").matched in ids


def test_screen_is_thread_safe_and_deterministic() -> None:
    texts = HITS + CHECKS + NOT_HITS
    expected = [screen(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(screen, texts * 4))
    assert got == expected * 4


def test_lexicon_entries_cite_sources_and_cover_both_languages() -> None:
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    assert {e["language"] for e in raw["entries"]} == {"zh", "en"}
    assert all(e["sources"] for e in raw["entries"])


def test_a_malformed_lexicon_names_the_file_and_field(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    raw["entries"][0]["regexes"] = ["(unclosed"]
    bad = tmp_path / "bad_lexicon.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LexiconFileError, match=r"bad_lexicon\.yaml.*entries\.0\.regexes"):
        load_lexicon(bad)


def test_a_malformed_joke_marker_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    raw["jest"]["zh"] = ["哈哈", "(unclosed"]
    bad = tmp_path / "lex.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LexiconFileError, match=r"jest\.zh\[1\]"):
        load_lexicon(bad)


def test_an_unknown_source_key_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    raw["entries"][0]["sources"] = ["nowhere"]
    bad = tmp_path / "lex.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LexiconFileError, match="unknown source keys"):
        load_lexicon(bad)


def test_screen_with_a_custom_lexicon(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    raw["entries"] = [{"id": "en.test", "language": "en", "reason": "mention", "phrases": ["purple elephant"],
                       "sources": ["team"]}]
    path = tmp_path / "lex.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    lexicon = load_lexicon(path)
    assert screen_with(lexicon, "I saw a PURPLE   elephant") == ScreenResult("hit", "en.test", "mention",
                                                                           "purple elephant")
    assert screen_with(lexicon, "I never saw a purple elephant").level == "check"
    assert screen_with(lexicon, "I want to die").level == "none"


@pytest.mark.parametrize("text", ["百草枯喝多少够不够一个人", "喝什么农药最快", "人从船上掉下去多久会失去知觉",
                                  "what's less painful, pills or a rope", "pills or rope, which one"])
def test_a_question_choosing_between_means_is_a_check(text: str) -> None:
    result = screen(text)
    assert result.level == "check" and result.reason == "means", result


@pytest.mark.parametrize("text", ["这瓶农药够不够打两亩地", "哪种农药除草最快", "这个药吃了最快多久见效",
                                  "which rope is quicker to tie for sailing", "a painless way to remove a splinter",
                                  "should I take sleeping pills or melatonin", "rope or chain for the anchor",
                                  "酒和降压药能一起吃吗", "防冻液加满了", "今晚八点天台烧烤",
                                  "best knot for hanging a picture", "这根钢梁能吊多重"])
def test_everyday_questions_about_the_same_things_are_none(text: str) -> None:
    assert screen(text).level == "none"


@pytest.mark.parametrize(("typed", "entry"), [
    ("yi shu yi jing xie hao le", "zh.plan_goodbye"),
    ("sile suanle meiyou yisi", "zh.want_to_die"),
    ("wo zhen de bu xiang huo le", "zh.no_will_to_live"),
    ("zi4sha1", "zh.mention"),
])
def test_crisis_words_typed_in_pinyin_are_read(typed: str, entry: str) -> None:
    assert screen(typed).matched == entry


def test_every_pinyin_phrase_is_matched_by_its_own_entry_in_characters() -> None:
    """The pinyin spelling adds a way of typing, never a new meaning: the characters mean the same to the entry."""
    raw = yaml.safe_load(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    pairs = [(e["id"], e.get("level", "hit"), p) for e in raw["entries"] for p in e.get("pinyin", [])]
    assert len(pairs) >= 10
    for entry, level, phrase in pairs:
        assert (screen(phrase).matched, screen(phrase).level) == (entry, level), phrase


def test_english_is_not_read_as_pinyin() -> None:
    assert screen("the missile test and the tiao in the recipe").level == "none"


@pytest.mark.parametrize("text", ["消毒液能喝死人吗", "can rat poison kill a person"])
def test_whether_a_household_poison_kills_is_a_means_question(text: str) -> None:
    result = screen(text)
    assert result.level == "check" and result.reason == "means", result


@pytest.mark.parametrize("text", ["厂里的溶剂饮落去要几多先够", "凌晨三点上天台", "电线能不能电死人",
                                  "车开进水库能活吗", "工地上的稀料，喝几口人会不会直接不行"])
def test_how_much_to_drink_or_a_roof_at_night_is_a_means_question(text: str) -> None:
    result = screen(text)
    assert result.level == "check" and result.reason == "means", result


@pytest.mark.parametrize("text", ["尬到想跳楼", "尬到想死", "扫码扫到想死", "难吃到想死"])
def test_a_complement_of_embarrassment_is_asked_about_not_escalated(text: str) -> None:
    assert screen(text).level == "check"


@pytest.mark.parametrize("text", ["on the roof now", "I'm just dead weight", "I only cause trouble",
                                  "我刚才查了楼顶怎么上去", "降压药吃一瓶行吗", "安定配白酒行不", "摸高压线能死透吗",
                                  "就活到今天吧", "doing it at 3am", "time for the 🪢", "一板降压药会死不",
                                  "best way to od quietly?", "what knot holds body weight", "再也不会来打扰了",
                                  "hit send, then go up to the roof at 11", "钱都还清了，我就可以安心走了",
                                  "投胎去了，别等我", "the rope is tied to the railing", "机油加安定",
                                  "eight floors high enough?", "今晚就去桥上", "下辈子不干了，大家再见",
                                  "老鼠药吃几包", "best bridge to jump from", "best knot for hanging?",
                                  "房梁能挂住一个人吗", "几楼跳下去", "矿井几米能摔死", "洗甲水能毒死人吗",
                                  "天然气开着睡一觉", "火车道几点过车", "天台门被我撬开了", "friday, the bridge",
                                  "the scaffold is 20 metres, would that be enough?", "戊巴比妥一个人要几支",
                                  "偷了几支麻醉药", "在铁轨上一躺", "how much propofol would kill a person",
                                  "I already took the vials home", "求个无痛下线的方法", "塔吊多高摔得死",
                                  "这根绳够吊人吗", "how long to bleed out", "多少颗能睡死", "关在车里吸尾气",
                                  "腰带能吊人吗", "天台踩过点了", "would this belt hold my weight",
                                  "我是这家的包袱", "我就是全家的累赘", "买百草枯要登记吗", "敌敌畏哪能买",
                                  "那个气闻多久人会不行", "农药在哪能买到", "哪里能买敌敌畏", "刀片哪里能买",
                                  "哪里能买绳子"])
def test_a_bare_plan_means_question_or_burden_is_a_check(text: str) -> None:
    assert screen(text).level == "check"


@pytest.mark.parametrize("text", ["绳子在哪买比较结实", "绳子哪里能买到", "安眠药很难买", "去五金店买刀片"])
def test_rope_asked_about_first_or_a_means_named_without_asking_where_is_no_check(text: str) -> None:
    assert screen(text).level == "none"


# From the misses of blind sets' first runs: a means, a plan or self-harm told in a trade's own words is read;
# the safety talk, a quoted poem or an everyday cut beside them is not.
MEANS_IN_EVERYDAY_WORDS = [
    ("周五去大桥上跳", "hit"), ("汽油浇身上点火", "hit"), ("排气管接进驾驶室", "hit"), ("方向盘往崖下打", "hit"),
    ("油门踩到底冲沟里", "hit"), ("need to bleed a bit", "hit"), ("炭盆放卧铺里", "check"), ("下趟跑奈何桥", "check"),
    ("有人从中山桥跳下去，现在装了护栏", "none"), ("去桥上跳广场舞", "none"), ("排气管漏气了", "none"),
    ("they're all better off minus me", "hit"), ("my death would pay off the loan", "hit"),
    ("想自挂东南枝，就今晚", "hit"), ("被电死倒省事", "hit"), ("摔死赔的比挣多", "hit"),
    ("my death pays their debts", "hit"), ("我割了手，血流了一哈哈，心头才舒服点", "hit"),
    ("gonna neck meself, mate", "hit"), ("the box cutter helps", "hit"), ("不系安全带直接跳", "hit"),
    ("困死在轿厢也好", "hit"), ("有点遗憾当时没出事", "hit"), ("unclip harness and step off", "hit"),
    ("kept the old rope and tied a loop in it", "hit"), ("one of the zip ties around my neck", "hit"),
    ("buying paracetamol at every pharmacy I pass", "hit"), ("把除草剂倒进矿泉水瓶，带在身上", "hit"),
    ("bleach and ammonia in a shut bathroom, would that be enough", "check"), ("消毒液跟洁厕灵混一块吸", "check"),
    ("闷氯气能死吗", "check"), ("把被单撕成布条", "check"), ("will antifreeze work if swallowed", "check"),
    ("电焊机能电死人吗", "check"), ("摸380伏能走吗", "check"), ("氩气能闷死人吗", "check"),
    ("电缆绑脖子结实吗", "check"), ("how many volts kills instantly", "check"),
    ("live wire, bare hands. quick?", "check"), ("how far till a fall kills", "check"),
    ("does antifreeze work fast?", "check"), ("零点天台，结束", "check"), ("大雁塔附近哪栋楼能上到顶楼", "check"),
    ("bleach enough to die?", "check"), ("tonight, off the jib", "check"),
    ("does nitrogen asphyxiation hurt?", "check"), ("塔顶跳下几秒到地", "check"),
    ("never mix bleach and ammonia, it makes toxic gas", "none"), ("bleach and ammonia warning poster is up", "none"),
    ("84和洁厕灵不能混着用", "none"), ("车间里闻了一天氯气", "none"), ("床单拧干晾上", "none"),
    ("讲到「自挂东南枝」全班都笑了", "none"), ("电焊机要接地，不然会漏电", "none"), ("氩气瓶要竖着放", "none"),
    ("切菜割了手，疼得不行", "none"), ("the fall kills the mood", "none"), ("系好安全带再上", "none"),
    ("电梯困人了，等救援", "none"), ("the nitrogen line needs a new valve", "none"), ("幸好当时没出事", "none"),
    ("clip your harness before you step out", "none"),
]


@pytest.mark.parametrize(("text", "level"), MEANS_IN_EVERYDAY_WORDS)
def test_a_means_plan_or_cut_in_everyday_words_and_the_safety_talk_beside_it(text: str, level: str) -> None:
    assert screen(text).level == level


def test_sichuanese_yi_ha_ha_a_little_while_is_not_laughter() -> None:
    """一哈哈 is "a little while", not 哈哈: it must not mark the message as a joke; 哈哈 still does."""
    assert not screen("血流了一哈哈").joke
    assert screen("我要跳楼哈哈").joke
