"""Every sentence the bot says, per locale, in one place. Warm, short, and never a diagnosis."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "greeting": {
        "zh-CN": "你好，我是心安助手 🌿 这里不需要登录，也不会问你的名字。我可以陪你做几份专业的心理自评量表，"
                 "帮你了解最近的压力、焦虑和情绪状况。",
        "en": "Hi, I'm the Xin'an assistant 🌿 No login and no name needed here. I can walk you through a few "
              "validated self-check questionnaires about stress, anxiety and mood.",
    },
    "consent": {
        "zh-CN": "开始前想征得你的同意：你的回答属于健康信息，只用于给你看结果；如果结果提示需要帮助，心理咨询师会在这里"
                 "匿名联系你。单位只能看到不少于 {k} 人的汇总统计，看不到任何个人。你可以随时清除自己的数据。你同意吗？",
        "en": "Before we start, may I have your consent? Your answers are health information. They are used to show "
              "you your result and, if it suggests you could use support, a counsellor may reach out here, "
              "anonymously. Your employer only sees totals over groups of at least {k} people, never a person. You "
              "can erase your data at any time. Do you agree?",
    },
    "btn_agree": {"zh-CN": "同意", "en": "I agree"},
    "btn_decline": {"zh-CN": "不同意", "en": "I decline"},
    "declined": {
        "zh-CN": "没关系，我们不会保存任何回答。如果你需要支持，下面的热线随时可以拨打。改变主意的话，说“同意”就可以。",
        "en": "That's fine — no answers will be stored. If you need support, the hotlines below are there for you. "
              "If you change your mind, just say \"I agree\".",
    },
    "consent_needed": {
        "zh-CN": "在开始自评之前，需要先得到你的同意。",
        "en": "Before we start a questionnaire I need your consent.",
    },
    "thanks_consent": {"zh-CN": "谢谢你的信任。", "en": "Thank you for trusting us."},
    "menu": {
        "zh-CN": "你想做哪一份自评？也可以直接告诉我你最近的感受，比如“最近压力很大”。",
        "en": "Which questionnaire would you like to take? You can also just tell me how you have been feeling, "
              "for example \"I've been very stressed\".",
    },
    "menu_line": {"zh-CN": "{short}：{desc}（约 {minutes} 分钟）", "en": "{short}: {desc} (about {minutes} min)"},
    # No-break spaces: "(2" and "min)" must not part at a line end.
    "btn_menu_item": {"zh-CN": "{short} · {name}（约\u00a0{minutes}\u00a0分钟）",
                      "en": "{short} · {name} ({minutes}\u00a0min)"},
    "instructions": {
        "zh-CN": "我们开始 {short}，共 {n} 题。{instructions}可以点选项，也可以用自己的话回答；说“上一题”可以修改，"
                 "“暂停”可以稍后继续，“为什么问这个”可以了解题目的用意。",
        "en": "Let's begin {short}: {n} questions. {instructions} Tap an option or answer in your own words. Say "
              "\"back\" to change an answer, \"pause\" to continue later, or \"why\" to learn what a question is for.",
    },
    "item": {"zh-CN": "第 {i}/{n} 题：{text}", "en": "Question {i} of {n}: {text}"},
    "language_switched": {"zh-CN": "好的，接下来用中文。", "en": "OK, English from here on."},
    "noted": {"zh-CN": "记下了：{label}", "en": "Noted: {label}"},
    "confirm": {"zh-CN": "我想确认一下，你的意思更接近哪一个？", "en": "Just to be sure — which is closest to what you mean?"},
    "not_understood": {
        "zh-CN": "抱歉，我没太明白。请选一个最接近的选项，或者换个说法告诉我。",
        "en": "Sorry, I didn't quite get that. Please pick the closest option, or put it another way.",
    },
    "stale_button": {
        "zh-CN": "那个选项属于之前的题目。我们现在在这一题：",
        "en": "That option belonged to an earlier question. We are on this one now:",
    },
    "back_first": {"zh-CN": "这已经是第一题了。", "en": "This is already the first question."},
    "back": {"zh-CN": "好的，我们回到上一题，你的新回答会替换之前的。", "en": "Sure — back to the previous question; "
                                                                       "your new answer replaces the old one."},
    "paused": {
        "zh-CN": "已经暂停，已回答的内容都保存好了。想继续的时候说“继续”就可以。",
        "en": "Paused — your answers so far are saved. Say \"continue\" whenever you're ready.",
    },
    "resume": {"zh-CN": "欢迎回来，我们从第 {i} 题继续。", "en": "Welcome back — let's continue from question {i}."},
    "nothing_to_resume": {"zh-CN": "目前没有未完成的自评。", "en": "There is no unfinished questionnaire right now."},
    "why": {"zh-CN": "{purpose}", "en": "{purpose}"},
    "why_none": {
        "zh-CN": "这些量表是经过研究验证的自评工具，帮助你了解自己最近的状态。它们只是筛查，不是诊断。",
        "en": "These are research-validated self-check questionnaires that help you see how you've been doing. "
              "They screen; they do not diagnose.",
    },
    "stopped": {
        "zh-CN": "好的，这次就到这里，未完成的回答不会计分，也已删除。照顾好自己，想做的时候随时回来。",
        "en": "OK, we'll stop here. The unfinished answers are not scored and have been deleted. Take care, and "
              "come back any time.",
    },
    "result": {
        "zh-CN": "{short} 完成了，谢谢你的认真作答。你的得分是 {score}/{max}：{band}。",
        "en": "You've finished {short} — thank you. Your score is {score} of {max}: {band}.",
    },
    "result_part": {
        "zh-CN": "{short} 完成了，谢谢你的认真作答。最需要留意的是“{band}”（{score}/{max} 分）。",
        "en": "You've finished {short} — thank you. The part to watch most: {band} ({score} of {max}).",
    },
    "result_sub": {"zh-CN": "{name}：{score}（{band}）", "en": "{name}: {score} ({band})"},
    "screening_note": {
        "zh-CN": "请注意：这是筛查结果，不是诊断。它反映的是最近一段时间的感受；如果困扰持续，建议和专业人员聊一聊。",
        "en": "Please note: this is a screening result, not a diagnosis. It reflects how you have felt recently; "
              "if things keep bothering you, it's worth talking with a professional.",
    },
    "self_help": {"zh-CN": "可以试试：", "en": "Some things that may help:"},
    "risk_followup": {
        "zh-CN": "你的回答显示你最近可能承受着不少困扰，你不需要一个人扛着。我们已经通知心理咨询师，他们会在 {within}内在这里"
                 "匿名联系你（不会知道你是谁）。等待的时候如果感觉更糟，请拨打下面的热线。",
        "en": "Your answers suggest you may be going through a lot, and you don't have to carry it alone. We have let "
              "a counsellor know; they will reach out to you here within {within}, anonymously (they won't know who "
              "you are). If things get worse while you wait, please call one of the lines below.",
    },
    "another": {"zh-CN": "想再做一份别的自评吗？", "en": "Would you like to take another questionnaire?"},
    "btn_another": {"zh-CN": "做另一份自评", "en": "Take another"},
    "btn_back": {"zh-CN": "上一题", "en": "Back"},
    "btn_pause": {"zh-CN": "暂停", "en": "Pause"},
    "btn_resume": {"zh-CN": "继续", "en": "Continue"},
    "btn_counsellor": {"zh-CN": "和咨询师聊聊", "en": "Talk to a counsellor"},
    "crisis": {
        "zh-CN": "如果你现在有危险，请马上拨打 110 或 120，或者请身边的人陪着你。谢谢你愿意说出来，你的感受很重要，你并不孤单。"
                 "{eta}。下面的热线也随时可以拨打：",
        "en": "If you are in danger right now, call 110 or 120, or ask someone near you to stay with you. Thank you "
              "for telling me. What you feel matters, and you are not alone. {eta}. These lines are there for you "
              "too:",
    },
    "crisis_result": {
        "zh-CN": "如果你现在有危险，请马上拨打 110 或 120。谢谢你认真作答。你的回答提示你最近可能很痛苦，甚至有过伤害自己的念头，"
                 "你不需要一个人扛着。{eta}。下面的热线也随时可以拨打：",
        "en": "If you are in danger right now, call 110 or 120. Thank you for answering. Your answers suggest you may "
              "be in a lot of pain, perhaps with thoughts of hurting yourself, and you don't have to carry that "
              "alone. {eta}. These lines are there for you too:",
    },
    "episode": {
        "zh-CN": "我在这里，你发的每一条消息我都看得到。{eta}。如果你现在有危险，请马上拨打 110 或 120；等待的时候也可以拨打下面的热线。",
        "en": "I'm here, and I see every message you send. {eta}. If you are in danger right now, call 110 or 120; "
              "while you wait you can also call one of the lines below.",
    },
    "eta_open": {"zh-CN": "咨询师已经收到通知，预计 {within}内在这里联系你",
                 "en": "A counsellor has been asked and is expected to write here within {within}"},
    "eta_overdue": {"zh-CN": "咨询师已经收到通知，我们正在再次催促，请再等一下",
                    "en": "A counsellor has been asked and we are reminding them again; please hold on a little"},
    "eta_claimed": {"zh-CN": "一位咨询师已经接手，很快会在这里和你说话",
                    "en": "A counsellor has taken your case and will write to you here shortly"},
    "within_minutes": {"zh-CN": "{n} 分钟", "en": "{n} minutes"},
    "within_hours": {"zh-CN": "{n} 小时", "en": "{n} hours"},
    "within_days": {"zh-CN": "{n} 天", "en": "{n} days"},
    "come_back": {
        "zh-CN": "你可以随时回到这个链接查看咨询师的回复（如果清除了浏览器数据，就无法再打开这段对话）。",
        "en": "You can come back to this link any time to read the counsellor's reply (clearing your browser's data "
              "loses this conversation).",
    },
    "btn_grounding": {"zh-CN": "做一个放松练习", "en": "Try a grounding exercise"},
    "grounding": {
        "zh-CN": "我们一起慢慢来，不用着急：\n• 看一看，说出你身边能看到的 5 样东西\n• 摸一摸身边的 4 样东西\n"
                 "• 听一听，找出 3 种声音\n• 闻一闻，找出 2 种气味\n• 想 1 种你能尝到的味道\n"
                 "然后慢慢吸气 4 秒，屏住 4 秒，再慢慢呼气 6 秒，重复几次。做完告诉我你感觉怎么样，我一直在。",
        "en": "Let's go slowly together, there's no rush:\n• Name 5 things you can see around you\n• Touch 4 things near "
              "you\n• Listen for 3 sounds\n• Notice 2 smells\n• Think of 1 taste\nThen breathe in slowly for 4 "
              "seconds, hold for 4, and breathe out for 6. Repeat a few times. Tell me how you feel afterwards; I'm "
              "right here.",
    },
    "gentle_check": {
        "zh-CN": "谢谢你告诉我。如果你曾有过伤害自己的念头，随时可以跟我说，或者拨打 12356 心理援助热线。",
        "en": "Thank you for sharing that. If you ever have thoughts of hurting yourself, you can tell me any "
              "time, or call the 12356 psychological assistance line.",
    },
    "counsellor_requested": {
        "zh-CN": "好的，心理咨询师会在这里匿名联系你，他们不会知道你是谁。{eta}。等待期间你可以继续做自评或和我聊；"
                 "如果感觉更糟，请拨打下面的热线。",
        "en": "OK — a counsellor will contact you here, anonymously; they won't know who you are. {eta}. While you "
              "wait you can take a questionnaire or keep chatting with me; if things get worse, please call one of "
              "the lines below.",
    },
    "resources": {"zh-CN": "需要帮助时可以拨打：", "en": "You can call:"},
    "erase_offer": {
        "zh-CN": "要清除你在这里的消息、答案和结果吗？清除后无法恢复，我们会为你开始一段新的对话。",
        "en": "Do you want to erase your messages, answers and results here? This cannot be undone; a new "
              "conversation will start.",
    },
    "btn_erase": {"zh-CN": "确定清除", "en": "Yes, erase"},
    "btn_keep": {"zh-CN": "不清除，继续", "en": "No, keep going"},
    "chitchat": {
        "zh-CN": "我是心安助手，一个帮你做心理自评的机器人，不是真人。",
        "en": "I'm the Xin'an assistant, a bot that helps with self-check questionnaires — not a person.",
    },
    "feelings": {
        "zh-CN": "谢谢你愿意说出来，听起来你最近不太容易。做一份自评，可以帮你更清楚地看看自己最近的状态。",
        "en": "Thank you for sharing that; it sounds like things have not been easy lately. A short self-check can "
              "help you see more clearly how you have been doing.",
    },
    "feelings_heard": {"zh-CN": "谢谢你告诉我这些。", "en": "Thank you for telling me that. "},
    "thanks": {"zh-CN": "不客气，照顾好自己。", "en": "You're welcome. Take care of yourself."},
    "goodbye": {"zh-CN": "再见，想聊的时候随时回来。", "en": "Goodbye — come back whenever you like."},
    "back_to_item": {"zh-CN": "我们回到刚才这一题：", "en": "Back to where we were:"},
    "welcome_back": {"zh-CN": "你好，欢迎回来。", "en": "Hello again, welcome back."},
    "store_unavailable": {
        "zh-CN": "抱歉，系统暂时繁忙，这条消息没有保存，请稍后再发一次。如果你需要马上得到帮助，请拨打下面的热线：",
        "en": "Sorry, the service is busy and this message was not saved; please send it again shortly. "
              "If you need help now, please call:",
    },
    "unavailable": {
        "zh-CN": "抱歉，助手暂时无法回应，你的消息已经保存。请稍后再试。如果你需要马上得到帮助，请拨打下面的热线：",
        "en": "Sorry, the assistant can't answer right now; your message has been saved. Please try again shortly. "
              "If you need help now, please call:",
    },
    "handoff_joined": {
        "zh-CN": "心理咨询师已加入对话。对方看不到你的身份信息。",
        "en": "A counsellor has joined the conversation. They cannot see who you are.",
    },
    "handoff_left": {
        "zh-CN": "咨询师已结束本次对话。我是心安助手，又回来陪你了。需要的话可以继续自评，或随时寻求帮助。",
        "en": "The counsellor has ended the conversation. I'm the Xin'an assistant again — you can take a "
              "questionnaire or ask for help any time.",
    },
}


def t(key: str, locale: str, **kwargs: object) -> str:
    entry = TEXTS[key]
    text = entry.get(locale) or entry["zh-CN"]
    return text.format(**kwargs) if kwargs else text
