"""The crisis classifier chosen by grouped cross-validation of the whole decision, and what each candidate costs.

The former blind sets (app/safety/training/blind_set_NN.yaml) fall into K folds by number; each fold is scored by a
classifier trained on everything else (the other sets, the writers' files, Rasa's NLU examples) through
CrisisDecider.decide with the real lexicon, decision.yaml and each message's earlier messages, no Rasa. It prints
the bench's figures (bench/crisis_decision_bench.py) per candidate; `--cost` adds the joblib file's size, the RSS a
fresh process gains loading it and score() time on distinct messages with no cache.

    nice .venv/bin/python bench/crisis_model_cv.py                  # the live model and hashed n-grams, 5 folds
    nice .venv/bin/python bench/crisis_model_cv.py --models live --sweep --cost
"""
from __future__ import annotations

import argparse
import functools
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import joblib  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer  # noqa: E402
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline, make_union  # noqa: E402

from app.safety import classifier as live  # noqa: E402
from app.safety import decision  # noqa: E402
from app.safety.classifier import CrisisClassifier, Example, all_examples, prepare  # noqa: E402
from app.safety.crisis_screen import get_lexicon  # noqa: E402
from app.safety.decision import CrisisDecider, DecisionConfig, load_config  # noqa: E402
from bench.crisis_sets import CORE  # noqa: E402

WORDS = r"(?u)\b\w+\b"
CAUGHT, ESCALATED, ASKED = 0.985, 0.015, 0.05  # the constraints a sweep keeps, and the goal for ordinary asked
# the lexicon's reading of a text does not depend on the classifier: read each text once across the sweep
_screened: dict[str, object] = {}
_screen = decision.screen_with
decision.screen_with = lambda lexicon, text: _screened.get(text) or _screened.setdefault(  # type: ignore[assignment]
    text, _screen(lexicon, text))


def hashed(chars: tuple[int, int] = (1, 5), bits: int = 20, word_bits: int = 18, c: float = 8.0,
           sgd: bool = False) -> Callable[[], Pipeline]:
    def make() -> Pipeline:
        def part(analyzer: str, ngrams: tuple[int, int], n: int) -> Pipeline:
            words = {"token_pattern": WORDS} if analyzer == "word" else {}
            return make_pipeline(HashingVectorizer(analyzer=analyzer, ngram_range=ngrams, n_features=2 ** n,
                                                   alternate_sign=False, norm=None, **words),
                                 TfidfTransformer(sublinear_tf=True))
        features = make_union(part("char_wb", chars, bits), part("word", (1, 2), word_bits))
        model = (SGDClassifier(loss="log_loss", alpha=1e-5, class_weight="balanced", max_iter=50, tol=None,
                               random_state=0) if sgd
                 else LogisticRegression(C=c, class_weight="balanced", max_iter=3000))
        return make_pipeline(features, model)
    return make


def tfidf(**changed: object) -> Callable[[], Pipeline]:
    """The live model's shape with one thing changed: n-gram range, analyzer, regularisation or rare n-grams."""
    return functools.partial(live.build_pipeline, **changed)


CANDIDATES: dict[str, Callable[[], Pipeline]] = {
    "live": live.build_pipeline,  # app/safety/classifier.py: TF-IDF, char_wb 1-4, word 1-2, jieba 1-2, min_df 2
    "live-unsegmented": tfidf(segmented=False),  # without jieba's words (the model before them)
    "hash15": hashed(),  # no vocabulary: char_wb 1-5 in 2^20 columns, word 1-2 in 2^18
    "hash14-22bit": hashed(chars=(1, 4), bits=22, word_bits=20),  # fewer collisions, more memory
    "hash15-c16": hashed(c=16.0),
    "hash15-c32": hashed(c=32.0),
    "hash15-sgd": hashed(sgd=True),
    "live-c4": tfidf(c=4.0, min_df=2),
    "live-c16": tfidf(c=16.0, min_df=2),
    "live-cw15": tfidf(chars=(1, 5), min_df=2),
    "live-char14": tfidf(analyzer="char", min_df=2),
    "live-mindf1": tfidf(min_df=1),  # every n-gram, even one seen once (the model before min_df 2)
    "live-mindf3": tfidf(min_df=3),
}


class Scored(CrisisClassifier):
    """A fold's classifier with every score the decision will ask for computed in one batch."""

    def __init__(self, model: Pipeline, texts: list[str]) -> None:  # the decision only calls score()
        self.model = model
        prepared = sorted({prepare(t) for t in texts} - {""})
        self.known = dict(zip(prepared, model.predict_proba(prepared)[:, 1].tolist(), strict=True))
        self.prepared: dict[str, str] = {}

    def score(self, text: str) -> float:
        if text not in self.prepared:
            self.prepared[text] = prepare(text)
        return self.known.get(self.prepared[text], 0.0)


def asked_texts(e: Example, messages: int) -> list[str]:
    """Every text decide() scores for this example: it, each earlier message, and them read together."""
    recent = [m for m in e.before if m.strip()][-messages:] if messages else []
    return [e.text, *recent, " \n".join([*recent, e.text])]


def folds(examples: list[Example], k: int) -> dict[str, int]:
    sets = sorted({e.source for e in examples if e.source.startswith("blind_set_")})
    return {s: i % k for i, s in enumerate(sets)}


def cross_validate(make: Callable[[], Pipeline], examples: list[Example], k: int,
                   config: DecisionConfig) -> list[Scored]:
    """One fitted classifier per fold, holding the scores of its held-out examples."""
    fold_of = folds(examples, k)
    out = []
    for f in range(k):
        train = [e for e in examples if fold_of.get(e.source) != f]
        held = [e for e in examples if fold_of.get(e.source) == f]
        model = make().fit([prepare(e.as_read) for e in train], [int(e.crisis) for e in train])
        out.append(Scored(model, [t for e in held for t in asked_texts(e, config.context.messages)]))
    return out


def decide_all(scored: list[Scored], examples: list[Example], k: int, config: DecisionConfig) -> list[str]:
    fold_of = folds(examples, k)
    lexicon = get_lexicon()
    deciders = [CrisisDecider(config, lexicon, s) for s in scored]
    return [deciders[fold_of[e.source]].decide(e.text, context=e.before).outcome if e.source in fold_of else ""
            for e in examples]


def figures(examples: list[Example], outcomes: list[str]) -> dict[str, float]:
    n: Counter[str] = Counter()
    for e, o in zip(examples, outcomes, strict=True):
        if not o:
            continue
        kind = "crisis" if e.crisis else "ordinary"
        n[kind] += 1
        n[f"{kind}:{o}"] += 1
        if e.crisis:
            n[f"{e.category}"] += 1
            n[f"{e.category}:{o}"] += 1
            if e.category in CORE:
                n["core"] += 1
                n[f"core:{o}"] += 1
    return {"caught": (n["crisis:urgent"] + n["crisis:ask"]) / n["crisis"], "core": n["core:urgent"] / n["core"],
            "escalated": n["ordinary:urgent"] / n["ordinary"], "asked": n["ordinary:ask"] / n["ordinary"],
            **{c: n[f"{c}:urgent"] / n[c] for c in ("method", "plan", "farewell", "self_harm", "explicit")},
            "n_crisis": n["crisis"], "n_ordinary": n["ordinary"], "n_core": n["core"]}


HEADER = (f"{'model':<14} {'ask urgent check hit':<22} {'caught':>7} {'urg.core':>8} {'escal.':>7} {'asked':>6} | "
          f"{'method':>6} {'plan':>6} {'farew.':>6} {'s.harm':>6} {'explic':>6}  (urgent)")


def row(name: str, t: tuple[float, ...], f: dict[str, float]) -> str:
    return (f"{name:<14} {' '.join(f'{x:.2f}' for x in t):<22} {f['caught']:7.1%} "
            f"{f['core']:8.1%} {f['escalated']:7.1%} {f['asked']:6.1%} | {f['method']:6.1%} {f['plan']:6.1%} "
            f"{f['farewell']:6.1%} {f['self_harm']:6.1%} {f['explicit']:6.1%}")


COST_PROBE = """
import json, sys, time, statistics
sys.path.insert(0, sys.argv[1])
import joblib
from app.safety.classifier import CrisisClassifier
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
def timed(score):
    score('warm up')
    times = []
    for t in texts:
        t0 = time.perf_counter(); score(t); times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]
texts = json.load(open(sys.argv[3], encoding='utf-8'))
before = rss()
t0 = time.perf_counter()
model = joblib.load(sys.argv[2])
load_s = time.perf_counter() - t0
after = rss()
out = {'rss_mb': after - before, 'load_s': load_s,
       'score': timed(CrisisClassifier(model).score)}  # each text once: nothing cached
print(json.dumps(out))
"""


def cost(name: str, make: Callable[[], Pipeline], examples: list[Example], texts: list[str]) -> str:
    """Train on everything, dump, then load and time it in a fresh process (imports done before measuring)."""
    t0 = time.perf_counter()
    model = make().fit([prepare(e.as_read) for e in examples], [int(e.crisis) for e in examples])
    fit_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path, src = Path(tmp) / "m.joblib", Path(tmp) / "texts.json"
        joblib.dump(model, path)
        src.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", COST_PROBE, str(ROOT), str(path), str(src)], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out)
        size = path.stat().st_size / 2**20
    times = f"score p50 {r['score'][0]:.2f} p99 {r['score'][1]:.2f} ms"
    return (f"{name:<14} file {size:5.1f} MB  load +{r['rss_mb']:5.1f} MB RSS ({r['load_s']:.2f} s)  {times}  "
            f"train {fit_s:.0f} s")


def with_thresholds(config: DecisionConfig, t: tuple[float, ...]) -> DecisionConfig:
    return config.model_copy(update={
        "classifier": config.classifier.model_copy(update={"ask_at": t[0], "urgent_at": t[1]}),
        "lexicon": config.lexicon.model_copy(update={"check_ask_unless_classifier_below": t[2],
                                                     "hit_urgent_unless_classifier_below": t[3]})})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="live,hash15", help=f"comma-separated, of {', '.join(CANDIDATES)}")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--sweep", action="store_true", help="also the classifier's ask_at/urgent_at on a grid")
    ap.add_argument("--cost", action="store_true", help="also file size, load RSS and score() latency")
    ap.add_argument("--no-cv", action="store_true", help="only --cost")
    args = ap.parse_args()
    names = args.models.split(",")
    examples = all_examples()
    config = load_config()
    sets = sorted({e.source for e in examples if e.source.startswith("blind_set_")})
    if not args.no_cv:
        print(f"{args.folds}-fold cross-validation grouped by set over {len(sets)} former blind sets; the decision "
              f"as decision.yaml has it, with the fold's classifier, the lexicon and earlier messages, no Rasa")
        print(f"urgent core: crisis messages of {', '.join(CORE)} escalated at once\n")
        print(HEADER)
        for name in names:
            scored = cross_validate(CANDIDATES[name], examples, args.folds, config)
            now = (config.classifier.ask_at, config.classifier.urgent_at,
                   config.lexicon.check_ask_unless_classifier_below, config.lexicon.hit_urgent_unless_classifier_below)
            f = figures(examples, decide_all(scored, examples, args.folds, with_thresholds(config, now)))
            print(row(name, now, f), flush=True)
            if args.sweep:
                found = []
                for t in itertools.product((0.4, 0.5, 0.6), (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9), (0.15, 0.25, 0.35),
                                           (0.2, 0.3, 0.5)):
                    g = figures(examples, decide_all(scored, examples, args.folds, with_thresholds(config, t)))
                    if g["caught"] >= CAUGHT and g["escalated"] <= ESCALATED:
                        found.append((t, g))
                print(f"  best urgent core with caught >= {CAUGHT:.1%} and escalated <= {ESCALATED:.1%}:")
                for t, g in sorted(found, key=lambda x: (-x[1]["core"], x[1]["asked"]))[:6]:
                    print(row("  " + name, t, g))
                print(f"  ... and with asked <= {ASKED:.0%} too:")
                for t, g in sorted([x for x in found if x[1]["asked"] <= ASKED], key=lambda x: -x[1]["core"])[:6]:
                    print(row("  " + name, t, g), flush=True)
        print(f"\n(n: {f['n_crisis']} crisis, {f['n_core']} of them core; {f['n_ordinary']} ordinary)")
    if args.cost:
        seen: set[str] = set()
        texts = []
        for e in examples:
            p = prepare(e.text)
            if p and p not in seen and len(texts) < 2000:
                seen.add(p)
                texts.append(e.text)
        print(f"\ncost: trained on all the data; a fresh process with scikit-learn imported loads it; per message "
              f"on {len(texts)} distinct texts, nothing cached, by CrisisClassifier.score")
        for name in names:
            print(cost(name, CANDIDATES[name], examples, texts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
