"""The learned part of the crisis decision: character n-grams and logistic regression (scikit-learn).

Trained from data kept in the repo (app/safety/training/, the scales' answer words and Rasa's NLU examples), at
set-up like the Rasa model, so it runs without Rasa and fetches nothing at run time. The file name carries a hash
of everything training reads, so changed data is retrained and unchanged data never is.
"""
from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import joblib
import sklearn
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from app.config import ROOT, Settings
from app.language import normalize as normalizer
from app.language import segment
from app.language.normalize import normalize
from app.model_files import build_once

TRAINING_DIR = Path(__file__).with_name("training")
NLU_FILE = ROOT / "dialogs" / "data" / "nlu.yml"


@dataclass(frozen=True)
class Example:
    text: str
    crisis: bool
    lang: str
    category: str
    source: str
    before: tuple[str, ...] = ()  # the employee's earlier messages, when the label depends on them

    @property
    def as_read(self) -> str:
        """The text the classifier learns from: with its earlier messages, as the decision reads context."""
        return " \n".join([*self.before, self.text])


def training_files() -> list[Path]:
    return sorted(TRAINING_DIR.glob("*.yaml"))


def load_training_file(path: Path) -> list[Example]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for i, m in enumerate(raw.get("messages") or []):
        label = m.get("label")
        if label not in ("crisis", "ordinary") or not isinstance(m.get("text"), str) or not m["text"].strip():
            raise ValueError(f"{path.name}: messages[{i}] needs a text and label crisis|ordinary")
        before = m.get("before") or []
        if not isinstance(before, list) or not all(isinstance(b, str) for b in before):
            raise ValueError(f"{path.name}: messages[{i}].before must be a list of texts")
        out.append(Example(m["text"], label == "crisis", str(m.get("lang") or ""), str(m.get("category") or ""),
                           path.name, tuple(before)))
    return out


def nlu_examples(path: Path = NLU_FILE) -> list[Example]:
    """Rasa's own NLU examples: the crisis intent's as crisis, every other intent's (answers, commands) as
    ordinary, so the classifier knows what employees type to the bot every day."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for block in raw.get("nlu") or []:
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples") or "").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                out.append(Example(_strip_entities(text), intent == "crisis", "", intent, "nlu.yml"))
    return out


def _strip_entities(text: str) -> str:
    """Rasa's `[value](entity)` annotation to the plain text an employee types."""
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


def all_examples() -> list[Example]:
    examples = [e for f in training_files() for e in load_training_file(f)]
    return examples + nlu_examples()


@functools.cache
def fingerprint() -> str:
    """Read once per process: the data does not change under a running service, and hashing it per message cost
    more than the decision itself."""
    h = hashlib.sha256(f"{sklearn.__version__}:{segment.DICTIONARY}".encode())
    # this file (the model's shape) and the normaliser's code and data: training reads every text through them
    for f in [*training_files(), NLU_FILE, Path(__file__), Path(normalizer.__file__), normalizer.NORMALIZE_FILE,
              Path(segment.__file__)]:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def build_pipeline(chars: tuple[int, int] = (1, 4), analyzer: str = "char_wb", c: float = 8.0,
                   min_df: int = 2, segmented: bool = True) -> Pipeline:
    """Character n-grams carry Chinese and misspelt English; word n-grams English phrasing; jieba's words and word
    pairs Chinese phrasing (cross-validated: 2.5 points more urgent core at equal ordinary escalation). N-grams seen
    in one example only are left out: they fit that example, not the next writer's words. Balanced classes. The
    defaults are the live model; bench/crisis_model_cv.py varies them."""
    parts = [
        TfidfVectorizer(analyzer=analyzer, ngram_range=chars, sublinear_tf=True, min_df=min_df),
        TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2), sublinear_tf=True,
                        min_df=min_df),
    ]
    if segmented:
        parts.append(TfidfVectorizer(tokenizer=segment.words, token_pattern=None, lowercase=False,
                                     ngram_range=(1, 2), sublinear_tf=True, min_df=min_df))
    features = make_union(*parts)
    return make_pipeline(features, LogisticRegression(C=c, class_weight="balanced", max_iter=3000))


def prepare(text: str) -> str:
    return normalize(text)


def fit(examples: list[Example]) -> Pipeline:
    model = build_pipeline()
    model.fit([prepare(e.as_read) for e in examples], [int(e.crisis) for e in examples])
    return model


def model_path(settings: Settings) -> Path:
    base = settings.rasa_models_dir or settings.resolved_data_dir / "models"
    return base / f"crisis-{fingerprint()}.joblib"


def train(settings: Settings) -> Path:
    """Train unless a model for this exact data exists (a few seconds)."""

    def build(path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        joblib.dump(fit(all_examples()), tmp)
        tmp.replace(path)

    return build_once(model_path(settings), build, "crisis-*.joblib")


class CrisisClassifier:
    """P(crisis) for one message; thread-safe (scikit-learn's transform and predict_proba do not mutate).

    Scores are remembered by a digest of the text (never the text itself), so the recent messages the decision reads
    again as context cost nothing; scikit-learn's input checks are skipped for one fitted pipeline and one string."""

    CACHE = 4096

    def __init__(self, model: Pipeline) -> None:
        self.model = model
        self._cache: OrderedDict[bytes, float] = OrderedDict()
        self._cache_lock = threading.Lock()

    def forget(self) -> None:
        """Drop every remembered score (the bench times the decision on messages the service has not seen)."""
        with self._cache_lock:
            self._cache.clear()

    def score(self, text: str) -> float:
        prepared = prepare(text)
        if not prepared:
            return 0.0
        digest = hashlib.blake2b(prepared.encode(), digest_size=16).digest()
        with self._cache_lock:
            if (known := self._cache.get(digest)) is not None:
                self._cache.move_to_end(digest)
                return known
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            p = float(self.model.predict_proba([prepared])[0][1])
        with self._cache_lock:
            self._cache[digest] = p
            if len(self._cache) > self.CACHE:
                self._cache.popitem(last=False)
        return p


_loaded: dict[Path, CrisisClassifier] = {}
_lock = threading.Lock()


def load_classifier(settings: Settings) -> CrisisClassifier:
    """The classifier for the current data, loaded once; trained first (about 30 s) if set-up has not.

    The app calls this at start-up, so no person's message waits for training."""
    path = model_path(settings)
    with _lock:
        if path not in _loaded:
            segment.warm()
            _loaded[path] = CrisisClassifier(joblib.load(train(settings)))
        return _loaded[path]
