"""The conversation: what the bot does for each intent Rasa recognises, given the state kept in the app's store.

Rasa classifies and routes; this service decides from the database (consent, active questionnaire, pending
confirmation), so a Rasa restart loses nothing and scales stay data.
"""
from __future__ import annotations

import json
import re
from typing import Any

from sqlmodel import Session

from app.answers import risk_items
from app.answers.parser import parse_answer
from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.campaigns import service as campaigns
from app.conversation import replies
from app.conversation.consent_words import read_consent
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.escalations.opening import open_escalation
from app.runtime import Runtime
from app.safety import crisis_flow
from app.safety.decision import RasaIntent
from app.scales.definitions import ScaleDefinition
from app.sessions.models import EmployeeSession

# Intents that may carry an answer when a question is open; the others are commands.
ANSWERISH = {"answer", "nlu_fallback", "agree", "decline", "chitchat", "share_feelings", "greet", "thanks",
             "request_scale"}
CONFIDENT = 0.9
CONSENT_CONFIDENCE = 0.8
_OPTION = re.compile(r"^([a-z][a-z0-9_]*):(\d+):(-?\d+)$")


class Turn:
    """One bot turn for one session; holds what every branch needs."""

    def __init__(self, db: Session, rt: Runtime, session: EmployeeSession, intent: str, text: str | None,
                 entities: dict[str, Any], confidence: float = 1.0, message_id: str | None = None) -> None:
        self.db, self.rt, self.session = db, rt, session
        self.intent, self.text, self.entities = intent, (text or "").strip(), entities
        self.confidence = confidence
        self.message_id = message_id
        self.locale = session.locale

    # ---- entry point -------------------------------------------------------------------------------------
    def run(self) -> list[Reply]:
        if self.intent == "crisis" and self.typed_an_option():
            # An option's own label typed to the open item is that answer: the app's crisis screen found nothing in
            # it before Rasa was asked, and a risk item's rule still reads the value (Rasa's NLU read "完全不会" as
            # crisis; a questionnaire the safety question interrupts at every such answer cannot be finished).
            self.intent = "answer"
        if self.intent == "crisis" and self.text:
            # The app decided before Rasa without its intent; Rasa's crisis intent can only raise that decision.
            decision = crisis_flow.decide(self.db, self.rt, self.session.id, self.text, self.message_id or "",
                                          rasa=RasaIntent(self.intent, self.confidence))
            if decision.outcome == "urgent" and decision.top is not None:
                return crisis_flow.urgent(self.db, self.rt, self.session, decision.top)
            if decision.outcome == "ask":
                return crisis_flow.ask(self.db, self.session)
            self.intent = "nlu_fallback"  # Rasa was not sure enough of its crisis intent: read the words as usual
        if self.intent == "help":
            return [replies.with_resources(t("resources", self.locale), self.locale, self.rt)]
        if self.session.consent != "agreed":
            return self.consent_stage()
        assessment = assessments.active(self.db, self.session)
        if assessment is not None and assessment.status == "in_progress":
            return self.question_stage(assessment)
        return self.free_stage(assessment)

    # ---- consent -----------------------------------------------------------------------------------------
    def consent_stage(self) -> list[Reply]:
        if said := read_consent(self.text):  # explicit words decide, whatever the model read
            self.intent, self.confidence = said, 1.0
        if self.intent == "agree" and self.confidence < CONSENT_CONFIDENCE:  # "哦", "随便" are not consent
            return [self.consent()[1]]
        if self.intent == "agree":
            self.session.consent = "agreed"
            self.db.add(self.session)
            campaigns.record(self.db, self.session, "consented")
            return [replies.menu(self.rt, self.locale, lead=t("thanks_consent", self.locale))]
        if self.intent == "decline":
            self.session.consent = "declined"
            self.db.add(self.session)
            return [replies.with_resources(t("declined", self.locale), self.locale, self.rt)]
        if self.intent == "counsellor":
            return self.request_counsellor()
        if self.session.consent == "declined" and self.intent not in ("greet",):
            return [Reply(t("consent_needed", self.locale)), self.consent()[1]]
        return self.consent()

    def consent(self) -> list[Reply]:
        return replies.consent(self.locale, self.rt.settings.report_min_cell)

    # ---- a question is open ------------------------------------------------------------------------------
    def question_stage(self, a: Assessment) -> list[Reply]:
        scale = self.rt.scales.get(a.scale_id)
        if scale is None:  # the file was removed: end gracefully
            assessments.stop(self.db, self.session, a)
            return [replies.menu(self.rt, self.locale)]
        option = self.entities.get("option")
        if option:
            return self.answer_by_payload(a, scale, str(option))
        if self.intent == "request_scale" and self.entities.get("scale"):
            return self.start_scale(str(self.entities["scale"]))
        if self.intent in ANSWERISH or self.looks_like_answer(scale):
            return self.answer_in_words(a, scale)
        if self.intent == "back":
            if not assessments.go_back(self.db, a):
                return [replies.item(scale, a, self.locale, lead=t("back_first", self.locale))]
            self.clear_pending()
            return [replies.item(scale, a, self.locale, lead=t("back", self.locale))]
        if self.intent == "pause":
            a.status = "paused"
            self.db.add(a)
            self.clear_pending()
            return [Reply(t("paused", self.locale), progress=replies.progress(a, scale),
                          buttons=[{"title": t("btn_resume", self.locale), "payload": replies.payload("resume")}])]
        if self.intent == "resume":
            return [replies.item(scale, a, self.locale)]
        if self.intent == "why":
            purpose = scale.items[a.current_item].purpose.get(self.locale)
            return [replies.item(scale, a, self.locale, lead=t("why", self.locale, purpose=purpose))]
        if self.intent == "stop":
            assessments.stop(self.db, self.session, a)
            return [Reply(t("stopped", self.locale), buttons=[
                {"title": t("btn_another", self.locale), "payload": replies.payload("show_menu")}])]
        if self.intent == "show_menu":
            a.status = "paused"
            self.db.add(a)
            return [replies.menu(self.rt, self.locale)]
        if self.intent == "counsellor":
            back = replies.item(scale, a, self.locale, lead=t("back_to_item", self.locale))
            return [*self.request_counsellor(), back]
        return self.answer_in_words(a, scale)

    def typed_an_option(self) -> bool:
        """The words are exactly an option's label of the open questionnaire, in either language."""
        a = assessments.in_progress(self.db, self.session)
        scale = self.rt.scales.get(a.scale_id) if a is not None else None
        said = self.text.casefold()
        return scale is not None and bool(said) and any(
            said == (o.label.get(locale) or "").casefold() for o in scale.options for locale in ("zh-CN", "en"))

    def looks_like_answer(self, scale: ScaleDefinition) -> bool:
        """An unsure command intent ("从不" read as stop) yields to a sure answer: a lost questionnaire is worse."""
        return bool(self.text) and self.confidence < CONFIDENT and parse_answer(scale, self.text, self.locale).sure

    def answer_by_payload(self, a: Assessment, scale: ScaleDefinition, option: str) -> list[Reply]:
        m = _OPTION.match(option)
        valid = {o.value for o in scale.options}
        if not m or m.group(1) != scale.id or int(m.group(3)) not in valid:
            return [replies.item(scale, a, self.locale, lead=t("not_understood", self.locale))]
        if int(m.group(2)) != a.current_item + 1:
            return [replies.item(scale, a, self.locale, lead=t("stale_button", self.locale))]
        return self.record(a, scale, int(m.group(3)), None)

    def answer_in_words(self, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        pending = json.loads(self.session.pending_json) if self.session.pending_json else []
        if pending and len(pending) == 1 and self.intent == "agree":
            return self.record(a, scale, pending[0], self.text)
        parsed = parse_answer(scale, self.text, self.locale)
        item_number = scale.items[a.current_item].number
        if (ask := risk_items.needs_asking(scale, item_number, self.text, parsed.value, parsed.candidates)) is not None:
            self.session.pending_json = json.dumps(ask)
            self.db.add(self.session)
            return [replies.confirm(scale, a, self.locale, ask)]
        if parsed.value is not None:
            return self.record(a, scale, parsed.value, self.text)
        if parsed.candidates:
            self.session.pending_json = json.dumps(parsed.candidates)
            self.db.add(self.session)
            return [replies.confirm(scale, a, self.locale, parsed.candidates)]
        if self.intent in ("chitchat", "share_feelings", "thanks", "greet"):
            lead = t({"thanks": "thanks", "greet": "welcome_back", "share_feelings": "feelings_heard"}.get(
                self.intent, "chitchat"), self.locale)
            return [replies.item(scale, a, self.locale, lead=f"{lead}{t('back_to_item', self.locale)}")]
        return [replies.item(scale, a, self.locale, lead=t("not_understood", self.locale))]

    def record(self, a: Assessment, scale: ScaleDefinition, value: int, free_text: str | None) -> list[Reply]:
        """The next item leads with what was understood ("记下了：好几天"), and the first reply carries it as
        `answered`, so a misread typed answer is seen (the widget marks the button) and "back" can fix it."""
        self.clear_pending()
        answered = replies.answered(scale, a.current_item, value, self.locale)
        assessments.record_answer(self.db, self.rt, a, value, free_text)
        if a.current_item < len(scale.items):
            noted = t("noted", self.locale, label=answered["label"])
            return [replies.item(scale, a, self.locale, lead=noted, answered=answered)]
        out = self.finish(a, scale)
        out[0].answered = answered
        return out

    def finish(self, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        """The result; where a risk rule fires, support comes first (high and urgent) and says when a counsellor
        will write; an urgent result starts the crisis episode, so no further questionnaire is offered."""
        res = assessments.complete(self.db, self.session, a, scale)
        result = replies.result(scale, a, res, self.locale)
        if not res.fired:
            return [result, self.another()]
        top = max(res.fired, key=lambda r: ("routine", "high", "urgent").index(r.level))
        esc, _ = open_escalation(self.db, self.rt.settings, self.session, source="risk_rule", priority=res.risk,
                                 reason=top.reason.en, assessment_id=a.id, scale=scale.id, score=res.total)
        if res.risk == "urgent":
            return [crisis_flow.urgent_result(self.rt, self.session, esc), result, Reply(t("come_back", self.locale))]
        when = crisis_flow.within(esc.due_at, self.locale) or t("within_hours", self.locale, n=1)
        followup = t("risk_followup", self.locale, within=when) + "\n" + t("come_back", self.locale)
        if res.risk == "high":
            return [replies.with_resources(followup, self.locale, self.rt), result, self.another()]
        return [result, Reply(followup), self.another()]

    def another(self) -> Reply:
        return Reply(t("another", self.locale), buttons=[
            {"title": t("btn_another", self.locale), "payload": replies.payload("show_menu")}])

    # ---- no question open --------------------------------------------------------------------------------
    def free_stage(self, paused: Assessment | None) -> list[Reply]:
        if self.intent == "request_scale":
            scale_id = self.entities.get("scale") or self.scale_from_words()
            if scale_id:
                return self.start_scale(str(scale_id))
            return [replies.menu(self.rt, self.locale)]
        if self.intent == "resume":
            if paused is None:
                return [replies.menu(self.rt, self.locale, lead=t("nothing_to_resume", self.locale))]
            scale = self.rt.scales[paused.scale_id]
            paused.status = "in_progress"
            self.db.add(paused)
            return [replies.item(scale, paused, self.locale, lead=t("resume", self.locale, i=paused.current_item + 1))]
        if self.intent == "counsellor":
            return self.request_counsellor()
        if self.intent == "why":
            return [Reply(t("why_none", self.locale))]
        if self.intent in ("thanks", "goodbye"):
            return [Reply(t(self.intent, self.locale))]
        if self.intent in ("answer", "nlu_fallback", "chitchat", "share_feelings") and (
                scale_id := self.scale_from_words()):
            return self.start_scale(scale_id)
        lead = t("chitchat", self.locale) if self.intent == "chitchat" else None
        if self.intent == "share_feelings":
            lead = t("feelings", self.locale)
        if self.intent == "greet":
            lead = t("welcome_back", self.locale)
        out = [replies.menu(self.rt, self.locale, lead=lead)]
        if paused is not None:
            out[0].buttons.insert(0, {"title": t("btn_resume", self.locale), "payload": replies.payload("resume")})
        return out

    def start_scale(self, scale_id: str) -> list[Reply]:
        scale = self.rt.scales.get(scale_id)
        if scale is None:
            return [replies.menu(self.rt, self.locale)]
        a = assessments.start(self.db, self.session, scale)
        intro = t("instructions", self.locale, short=scale.short_name, n=len(scale.items),
                  instructions=scale.instructions.get(self.locale))
        return [Reply(intro, progress=replies.progress(a, scale)), replies.item(scale, a, self.locale)]

    def scale_from_words(self) -> str | None:
        """Pick the scale whose keywords (scale YAML) best match what the employee wrote; ties go to the shorter."""
        text = self.text.lower()
        best: tuple[int, int, str] | None = None
        for s in self.rt.scales.all():
            hits = sum(len(k) for loc in ("zh-CN", "en") for k in s.keywords.get(loc) if k.lower() in text)
            if hits and (best is None or (hits, -len(s.items)) > best[:2]):
                best = (hits, -len(s.items), s.id)
        return best[2] if best else None

    # ---- safety ------------------------------------------------------------------------------------------
    def request_counsellor(self) -> list[Reply]:
        esc, _ = open_escalation(self.db, self.rt.settings, self.session, source="request", priority="routine",
                                 reason="employee asked to talk to a counsellor")
        text = t("counsellor_requested", self.locale, eta=crisis_flow.eta(esc, self.locale))
        text += "\n" + t("come_back", self.locale)
        return [replies.with_resources(text, self.locale, self.rt)]

    def clear_pending(self) -> None:
        if self.session.pending_json:
            self.session.pending_json = None
            self.db.add(self.session)


def erase_offer(db: Session, session: EmployeeSession) -> Reply:
    """A typed request to erase (app/privacy/erase_request.py), asked before Rasa: "keep" goes on where it was."""
    going_on = "resume" if assessments.in_progress(db, session) is not None else "show_menu"
    return replies.erase_offer(session.locale, going_on)


def handle(db: Session, rt: Runtime, session: EmployeeSession, intent: str, text: str | None,
           entities: dict[str, Any], confidence: float = 1.0, message_id: str | None = None) -> list[Reply]:
    return Turn(db, rt, session, intent, text, entities, confidence, message_id).run()
