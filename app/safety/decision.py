"""The crisis decision (ARCHITECTURE.md "One employee turn", step 2): one function, in the app, without Rasa.

It combines the lexicon, the learned classifier, Rasa's intent when Rasa answered, and the employee's last few
messages into urgent, ask or none. Each signal sets a floor and the outcome is the highest one, so no signal lowers
another; only on words the answer reader takes as an answer to the open item does the classifier need more to ask.
Thresholds and reasons are data (decision.yaml).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.config import Settings
from app.language.data_file import DataFileError, load_data_file
from app.safety.classifier import CrisisClassifier, load_classifier, model_path
from app.safety.crisis_screen import get_lexicon, screen_with
from app.safety.lexicon import Lexicon, LexiconFileError

DECISION_FILE = Path(__file__).with_name("decision.yaml")
Outcome = Literal["urgent", "ask", "none"]
RANK: dict[str, int] = {"none": 0, "ask": 1, "urgent": 2}
TRIGGER_CHARS = 200
_WORDS = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+")  # a Chinese character or an English word


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LexiconRules(_Strict):
    check_ask_unless_classifier_below: float = Field(ge=0, le=1)
    check_ask_when_short: list[str]
    hit_urgent_unless_classifier_below: float = Field(ge=0, le=1)
    hit_urgent_when_words_at_most: int = Field(ge=0)
    hit_none_below: float = Field(ge=0, le=1)


class ClassifierRules(_Strict):
    urgent_at: float = Field(gt=0, le=1)
    ask_at: float = Field(gt=0, le=1)
    answer_ask_at: float = Field(gt=0, le=1)


class RasaRules(_Strict):
    crisis_intent: str
    ask_at_confidence: float = Field(ge=0, le=1)
    ask_unless_classifier_below: float = Field(ge=0, le=1)
    urgent_with_classifier_at: float = Field(gt=0, le=1)


class ContextRules(_Strict):
    messages: int = Field(ge=0, le=10)
    minutes: int = Field(ge=1)
    ask_at: float = Field(gt=0, le=1)
    urgent_when_distress_then: list[str]
    urgent_when_distress_then_classifier_at: float = Field(gt=0, le=1)
    urgent_when_urgent_then_ask: bool


class DecisionConfig(_Strict):
    version: int
    lexicon: LexiconRules
    classifier: ClassifierRules
    rasa: RasaRules
    context: ContextRules
    reasons: dict[str, dict[Literal["zh-CN", "en"], str]]


def load_config(path: Path = DECISION_FILE) -> DecisionConfig:
    try:
        config = load_data_file(path, DecisionConfig)
    except DataFileError as exc:
        raise LexiconFileError(str(exc)) from exc
    missing = {e.reason for e in get_lexicon().entries} - set(config.reasons)
    missing |= {r for r in [*config.context.urgent_when_distress_then, *config.lexicon.check_ask_when_short]
                if r not in config.reasons}
    if missing:
        raise LexiconFileError(f"{path}: reasons: no text for {sorted(missing)}")
    return config


@dataclass(frozen=True)
class RasaIntent:
    name: str
    confidence: float


@dataclass(frozen=True)
class Signal:
    source: Literal["lexicon", "classifier", "rasa", "context", "safety_question"]
    floor: Outcome
    reason: str  # a key of decision.yaml's reasons
    trigger: str | None = None  # the words that triggered it: shown to the counsellor, never logged


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    score: float  # the classifier's P(crisis) for this message alone
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    @property
    def top(self) -> Signal | None:
        """The signal that set the outcome (the first of the highest floor)."""
        best = [s for s in self.signals if s.floor == self.outcome]
        return best[0] if best else None


def _trigger(text: str) -> str:
    return text.strip()[:TRIGGER_CHARS]


class CrisisDecider:
    def __init__(self, config: DecisionConfig, lexicon: Lexicon, classifier: CrisisClassifier) -> None:
        self.config, self.lexicon, self.classifier = config, lexicon, classifier

    def text_signals(self, text: str, answer: bool = False) -> tuple[float, list[Signal]]:
        """What the message says on its own: the lexicon and the classifier (`answer`: see decide)."""
        c = self.config
        p = self.classifier.score(text)
        out: list[Signal] = []
        hit = screen_with(self.lexicon, text)
        short = len(_WORDS.findall(text)) <= c.lexicon.hit_urgent_when_words_at_most
        if hit.level == "hit":
            if p >= c.lexicon.hit_none_below:  # below it the classifier all but knows the words are ordinary
                sure_ordinary = p < c.lexicon.hit_urgent_unless_classifier_below and not short
                out.append(Signal("lexicon", "ask" if sure_ordinary else "urgent", hit.reason or "mention", hit.span))
            elif short:  # a short message has no room for someone else's story: asked, never dropped
                out.append(Signal("lexicon", "ask", hit.reason or "mention", hit.span))
        elif hit.level == "check" and (p >= c.lexicon.check_ask_unless_classifier_below or (
                hit.reason in c.lexicon.check_ask_when_short and short)):
            out.append(Signal("lexicon", "ask", hit.reason or "mention", hit.span))
        if p >= c.classifier.urgent_at and not hit.joke and not answer:
            out.append(Signal("classifier", "urgent", "classifier", _trigger(text)))
        elif p >= (c.classifier.answer_ask_at if answer else c.classifier.ask_at):
            out.append(Signal("classifier", "ask", "classifier", _trigger(text)))
        return p, out

    def decide(self, text: str, *, context: Sequence[str] = (), rasa: RasaIntent | None = None,
               answer: bool = False) -> Decision:
        """`context`: the employee's messages before this one in the session, oldest first (the caller bounds them).
        `answer`: the answer reader takes the words as an answer to the open questionnaire item ("不是每天"): the
        classifier alone asks only from `answer_ask_at` and never escalates, and the context's classifier rules are
        left out; the lexicon reads them as always, and the item's own risk rule reads the value."""
        c = self.config
        p, signals = self.text_signals(text, answer)
        if rasa is not None and (said := self.rasa_signal(text, rasa)) is not None:
            signals.append(said)
        recent = [m for m in context if m.strip()][-c.context.messages:] if c.context.messages else []
        if recent:
            before = [max((RANK[s.floor] for s in self.text_signals(m)[1]), default=0) for m in recent]
            distress = any(r >= RANK["ask"] for r in before)
            then = c.context.urgent_when_distress_then
            means = next((s for s in signals if s.source == "lexicon" and s.reason in then), None)
            if distress and means is not None:
                signals.append(Signal("context", "urgent", "distress_then_means", means.trigger))
            elif not answer and distress and p >= c.context.urgent_when_distress_then_classifier_at:
                signals.append(Signal("context", "urgent", "distress_then_crisis", _trigger(text)))
            elif not answer and (distress or p >= c.lexicon.check_ask_unless_classifier_below) and (
                    self.classifier.score(" \n".join([*recent, text])) >= c.context.ask_at):
                signals.append(Signal("context", "ask", "context", _trigger(text)))
            if not answer and c.context.urgent_when_urgent_then_ask and RANK["urgent"] in before and any(
                    RANK[s.floor] >= RANK["ask"] for s in signals):
                signals.append(Signal("context", "urgent", "urgent_then_ask", _trigger(text)))
        outcome: Outcome = max((s.floor for s in signals), key=RANK.__getitem__, default="none")
        return Decision(outcome, p, tuple(signals))

    def decide_typed(self, text: str, context: Sequence[str], reads_as_answer: Callable[[], bool]) -> Decision:
        """The decision before Rasa on typed words: where the classifier raised it and the answer reader takes the
        words as an answer to the open item (`reads_as_answer`, asked only then), they are decided as one."""
        decision = self.decide(text, context=context)
        if decision.outcome != "none" and any(s.source in ("classifier", "context") for s in decision.signals) and (
                reads_as_answer()):
            return self.decide(text, context=context, answer=True)
        return decision

    def rasa_signal(self, text: str, rasa: RasaIntent) -> Signal | None:
        """What Rasa's intent adds: its crisis intent is at least ask, urgent when the classifier agrees, none when
        the classifier is sure the words are ordinary (hyperbole)."""
        c = self.config
        if rasa.name != c.rasa.crisis_intent or rasa.confidence < c.rasa.ask_at_confidence:
            return None
        p = self.classifier.score(text)
        if p < c.rasa.ask_unless_classifier_below:
            return None
        return Signal("rasa", "urgent" if p >= c.rasa.urgent_with_classifier_at else "ask", "rasa", _trigger(text))

    def reason_text(self, reason: str, locale: str) -> str:
        texts = self.config.reasons.get(reason)
        return texts.get(locale, texts["en"]) if texts else reason  # type: ignore[return-value]


_decider: dict[Path, CrisisDecider] = {}
_lock = threading.Lock()


def get_decider(settings: Settings) -> CrisisDecider:
    """The decider for this process: loaded once (the classifier is trained first if set-up has not)."""
    key = model_path(settings)
    with _lock:
        if key not in _decider:
            _decider[key] = CrisisDecider(load_config(), get_lexicon(), load_classifier(settings))
        return _decider[key]
