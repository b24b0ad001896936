"""What one bot turn can do, given the state kept in the app's store: the operations the actions compose.

The actions (actions.py) choose which to run; this holds no dispatch on what Rasa recognised, only the facts
(consent, the open questionnaire, a pending confirmation), so a Rasa restart loses nothing and scales stay data.
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
from app.conversation.reply import Reply
from app.conversation.texts import t
from app.escalations.opening import open_escalation
from app.runtime import Runtime
from app.safety import crisis_flow
from app.scales.definitions import ScaleDefinition
from app.sessions.models import EmployeeSession

CONFIDENT = 0.9  # below this a command yields to a sure answer of the open item
CONSENT_CONFIDENCE = 0.8  # below this "agree" is not taken as consent ("哦", "随便")
_OPTION = re.compile(r"^([a-z][a-z0-9_]*):(\d+):(-?\d+)$")


def is_option_label(scale: ScaleDefinition, text: str) -> bool:
    """The words are exactly one of the scale's option labels, in either language."""
    said = text.strip().casefold()
    return bool(said) and any(
        said == (o.label.get(locale) or "").casefold() for o in scale.options for locale in ("zh-CN", "en"))


def answer_wins(scale: ScaleDefinition, text: str, locale: str, confidence: float) -> bool:
    """A command Rasa read yields to an answer: always to an option's own label ("不符合" read as stop), and to a
    sure answer when Rasa was unsure of the command ("从不"): a lost questionnaire is worse."""
    if is_option_label(scale, text):
        return True
    return bool(text.strip()) and confidence < CONFIDENT and parse_answer(scale, text, locale).sure


class Turn:
    """One bot turn for one session: what Rasa read (text, entities, confidence) and the store it acts on."""

    def __init__(self, db: Session, rt: Runtime, session: EmployeeSession, text: str | None,
                 entities: dict[str, Any], confidence: float = 1.0, message_id: str | None = None) -> None:
        self.db, self.rt, self.session = db, rt, session
        self.text, self.entities = (text or "").strip(), entities
        self.confidence = confidence
        self.message_id = message_id
        self.locale = session.locale

    # ---- where the conversation stands -------------------------------------------------------------------
    def open_questionnaire(self) -> tuple[Assessment, ScaleDefinition] | None:
        """The questionnaire in progress and its scale; one whose scale file was removed is ended here."""
        a = assessments.active(self.db, self.session)
        if a is None or a.status != "in_progress":
            return None
        scale = self.rt.scales.get(a.scale_id)
        if scale is None:
            assessments.stop(self.db, self.session, a)
            return None
        return a, scale

    def paused(self) -> Assessment | None:
        return assessments.active(self.db, self.session)

    # ---- consent -----------------------------------------------------------------------------------------
    def agree(self, confidence: float) -> list[Reply]:
        if confidence < CONSENT_CONFIDENCE:
            return [self.consent()[1]]
        self.session.consent = "agreed"
        self.db.add(self.session)
        campaigns.record(self.db, self.session, "consented")
        return [replies.menu(self.rt, self.locale, lead=t("thanks_consent", self.locale))]

    def decline(self) -> list[Reply]:
        self.session.consent = "declined"
        self.db.add(self.session)
        return [replies.with_resources(t("declined", self.locale), self.locale, self.rt)]

    def consent(self) -> list[Reply]:
        return replies.consent(self.locale, self.rt.settings.report_min_cell)

    def consent_again(self) -> list[Reply]:
        """After a decline, say consent is needed before asking again."""
        if self.session.consent == "declined":
            return [Reply(t("consent_needed", self.locale)), self.consent()[1]]
        return self.consent()

    def resources(self) -> list[Reply]:
        return [replies.with_resources(t("resources", self.locale), self.locale, self.rt)]

    # ---- a question is open ------------------------------------------------------------------------------
    def typed_an_option(self) -> bool:
        """The words are exactly an option's label of the open questionnaire, in either language."""
        a = assessments.in_progress(self.db, self.session)
        scale = self.rt.scales.get(a.scale_id) if a is not None else None
        return scale is not None and is_option_label(scale, self.text)

    def sure_answer(self, scale: ScaleDefinition) -> bool:
        return answer_wins(scale, self.text, self.locale, self.confidence)

    def answer_by_payload(self, a: Assessment, scale: ScaleDefinition, option: str) -> list[Reply]:
        m = _OPTION.match(option)
        valid = {o.value for o in scale.options}
        if not m or m.group(1) != scale.id or int(m.group(3)) not in valid:
            return [replies.item(scale, a, self.locale, lead=t("not_understood", self.locale))]
        if int(m.group(2)) != a.current_item + 1:
            return [replies.item(scale, a, self.locale, lead=t("stale_button", self.locale))]
        return self.record(a, scale, int(m.group(3)), None)

    def answer_in_words(self, a: Assessment, scale: ScaleDefinition, confirms: bool = False,
                        lead: str | None = None) -> list[Reply]:
        """`confirms`: a yes takes a single pending option; `lead`: the text key said before the item again when
        the words are no answer (chat, thanks, feelings)."""
        pending = json.loads(self.session.pending_json) if self.session.pending_json else []
        if pending and len(pending) == 1 and confirms:
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
        if lead is not None:
            return [replies.item(scale, a, self.locale, lead=f"{t(lead, self.locale)}{t('back_to_item', self.locale)}")]
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
        support = replies.with_resources(followup, self.locale, self.rt)  # the lines its words point to
        if res.risk == "high":
            return [support, result, self.another()]
        return [result, support, self.another()]

    def another(self) -> Reply:
        return Reply(t("another", self.locale), buttons=[
            {"title": t("btn_another", self.locale), "payload": replies.payload("show_menu")}])

    def go_back(self, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        if not assessments.go_back(self.db, a):
            return [replies.item(scale, a, self.locale, lead=t("back_first", self.locale))]
        self.clear_pending()
        return [replies.item(scale, a, self.locale, lead=t("back", self.locale))]

    def pause(self, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        a.status = "paused"
        self.db.add(a)
        self.clear_pending()
        return [Reply(t("paused", self.locale), progress=replies.progress(a, scale),
                      buttons=[{"title": t("btn_resume", self.locale), "payload": replies.payload("resume")}])]

    def repeat_item(self, a: Assessment, scale: ScaleDefinition, lead: str | None = None) -> list[Reply]:
        return [replies.item(scale, a, self.locale, lead=lead)]

    def explain(self, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        purpose = scale.items[a.current_item].purpose.get(self.locale)
        return self.repeat_item(a, scale, lead=t("why", self.locale, purpose=purpose))

    def stop(self, a: Assessment) -> list[Reply]:
        assessments.stop(self.db, self.session, a)
        return [Reply(t("stopped", self.locale), buttons=[
            {"title": t("btn_another", self.locale), "payload": replies.payload("show_menu")}])]

    def menu_pausing(self, a: Assessment) -> list[Reply]:
        a.status = "paused"
        self.db.add(a)
        return [replies.menu(self.rt, self.locale)]

    def counsellor_then_item(self, a: Assessment, scale: ScaleDefinition) -> list[Reply]:
        back = replies.item(scale, a, self.locale, lead=t("back_to_item", self.locale))
        return [*self.request_counsellor(), back]

    # ---- no question open --------------------------------------------------------------------------------
    def menu(self, lead: str | None = None, offer_resume: bool = True) -> list[Reply]:
        """The menu, led by `lead` (a text key); a paused questionnaire is offered first."""
        out = [replies.menu(self.rt, self.locale, lead=t(lead, self.locale) if lead else None)]
        if offer_resume and self.paused() is not None:
            out[0].buttons.insert(0, {"title": t("btn_resume", self.locale), "payload": replies.payload("resume")})
        return out

    def say(self, key: str) -> list[Reply]:
        return [Reply(t(key, self.locale))]

    def resume(self) -> list[Reply]:
        paused = self.paused()
        if paused is None:
            return self.menu(lead="nothing_to_resume", offer_resume=False)
        scale = self.rt.scales[paused.scale_id]
        paused.status = "in_progress"
        self.db.add(paused)
        return [replies.item(scale, paused, self.locale, lead=t("resume", self.locale, i=paused.current_item + 1))]

    def choose_scale(self) -> list[Reply]:
        scale_id = self.entities.get("scale") or self.scale_from_words()
        if scale_id:
            return self.start_scale(str(scale_id))
        return self.menu(offer_resume=False)

    def scale_or_menu(self, lead: str | None = None) -> list[Reply]:
        """Words that name a scale ("测测压力") start it; anything else shows the menu."""
        if scale_id := self.scale_from_words():
            return self.start_scale(scale_id)
        return self.menu(lead=lead)

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
