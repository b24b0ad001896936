"""`python -m app crisis-model [--train] [--cv]`: the crisis classifier's model file, training and cross-validation.

--cv trains on all writers but one and scores the one left out, for each writer and each former blind set in turn:
the closest the training data comes to words the model has not seen. decision.yaml says how its thresholds were
chosen; never on a bench set.
"""
from __future__ import annotations

import argparse

from app.config import get_settings


def _run(args: argparse.Namespace) -> int:
    from app.safety.classifier import model_path, train

    settings = get_settings()
    if args.train:
        print(train(settings))
    if args.cv:
        _cross_validate()
    if not args.train and not args.cv:
        print(model_path(settings))
    return 0


def _cross_validate() -> None:
    import numpy as np

    from app.safety.classifier import all_examples, build_pipeline, prepare
    from app.safety.decision import load_config

    examples = all_examples()
    texts = np.array([prepare(e.as_read) for e in examples], dtype=object)
    labels = np.array([int(e.crisis) for e in examples])
    sources = np.array([e.source for e in examples])
    held_out = [s for s in sorted(set(sources)) if s.startswith(("writer_", "blind_set_"))]
    scores = np.full(len(examples), np.nan)
    for source in held_out:
        test = sources == source
        model = build_pipeline().fit(texts[~test], labels[~test])
        scores[test] = model.predict_proba(texts[test])[:, 1]
    mask = ~np.isnan(scores)
    p, y = scores[mask], labels[mask]
    config = load_config().classifier
    print(f"leave-one-writer-out over {', '.join(held_out)}: {int(y.sum())} crisis, {int((1 - y).sum())} ordinary")
    for threshold in sorted({0.1, 0.2, 0.3, config.ask_at, 0.6, 0.75, config.urgent_at}):
        mark = " (ask_at)" if threshold == config.ask_at else " (urgent_at)" if threshold == config.urgent_at else ""
        print(f"  P >= {threshold:.2f}: crisis {np.mean(p[y == 1] >= threshold):6.1%}  ordinary "
              f"{np.mean(p[y == 0] >= threshold):6.1%}{mark}")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("crisis-model", help="the crisis classifier: path (default), --train, --cv")
    p.add_argument("--train", action="store_true", help="train it unless a model for this data exists")
    p.add_argument("--cv", action="store_true", help="leave-one-writer-out figures for decision.yaml's thresholds")
    p.set_defaults(func=_run)
