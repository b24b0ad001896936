"""The padding attacker across campaigns, over many trials: how often it recovers a unit's real band counts exactly.

tests/reports/test_campaign_padding_attacker.py holds the attack (an insider pads a unit of 2-5 real employees with
known answers in two campaigns and outside them, reads every report on five days of the running month and after it
closed, and solves by least squares and by a Bayes rule); its 150 trials bound both rates with a margin for chance,
this prints them with their intervals. The goal (issue: HR reports) is exact recovery in at most 5 % of trials.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.reports.noise import Budget  # noqa: E402
from bench.crisis_decision_bench import wilson  # noqa: E402
from tests.reports import test_campaign_padding_attacker as attack  # noqa: E402


def run(trials: int, budget: Budget, shown: Budget, closed_only: bool, seed: int | None) -> dict[str, int]:
    """Exact recoveries per attacker over `trials` fresh trials (2-5 real answers, split over places half the time)."""
    rnd, db = random.Random(seed), attack._world()
    reads = attack.CLOSED_READS if closed_only else attack.RUNNING_READS + attack.CLOSED_READS
    exact = {"least squares": 0, "Bayes": 0}
    for _ in range(trials):
        t = attack._trial(db, rnd, rnd.randint(2, 5), rnd.random() < 0.5, budget, reads, shown)
        truth = np.array([sum(1 for b, _ in t.real if b == band) for band in attack.ORDER])
        for name, solve in (("least squares", attack._estimate), ("Bayes", attack._map_estimate)):
            exact[name] += bool((solve(t.looks, attack._known([]), t.places) == truth).all())
    db.close()
    return exact


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--running", type=float, default=attack.BUDGET.epsilon_running,
                    help="the reports' running-month epsilon (default: app/config.py's)")
    ap.add_argument("--participation-running", type=float, default=None,
                    help="participation's running-month epsilon (default: app/config.py's)")
    ap.add_argument("--closed-only", action="store_true", help="read only after the month closed")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args(argv)
    budget = Budget(attack.BUDGET.epsilon_month, args.running, attack.BUDGET.mean_share)
    started = time.perf_counter()
    shown = Budget(budget.epsilon_month, attack.PARTICIPATION.epsilon_running if args.participation_running is None
                   else args.participation_running, budget.mean_share)
    exact = run(args.trials, budget, shown, args.closed_only, args.seed)
    print(f"budget: month {budget.epsilon_month}, running {budget.epsilon_running} (participation running "
          f"{shown.epsilon_running}); reads: {'closed only' if args.closed_only else 'every day'}; "
          f"{args.trials} trials in {time.perf_counter() - started:.0f} s")
    for name, k in exact.items():
        print(f"{name:>13}: exact recovery {k}/{args.trials} = {100 * k / args.trials:.1f} % "
              f"{wilson(k, args.trials)}  goal <= 5 %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
