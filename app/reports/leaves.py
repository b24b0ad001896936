"""Which noisy leaf an answer falls in: a registered unit, an org's own pool, the pool of unknown orgs, and for
answers given in a campaign's conversations the campaign's own leaf of that unit (or of the org).

Why campaigns get leaves of their own: a campaign report must count only the campaign's answers, and a figure made
of other true counts under the same stored noise as the unit report would let anyone subtract the two and read the
other answers exactly. With one leaf per (unit, campaign), every answer still sits in exactly one noisy cell per
period (the budget is spent once), the unit report sums the unit's leaves and the campaign report reads its own.
The leaves of a month follow from the registered units and the campaigns, never from the answers, so an empty leaf
gets noise like any other and an absent cell is never told apart from zero.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select
from sqlmodel import Session, col, select

from app.campaigns.models import Campaign
from app.reports.suppression import Month

BaseLeaf = tuple[str, str | None]  # (org or "-", unit or None)
Leaf = BaseLeaf | tuple[str, str | None, str]  # ... and the campaign, for a campaign's own leaf


def leaf_key(leaf: Leaf) -> str:
    """The stored noise's leaf: "org|unit", "org|" for the org's own pool, "org|unit|campaign" for a campaign's."""
    key = f"{leaf[0]}|{leaf[1] or ''}"
    return key if len(leaf) == 2 else f"{key}|{leaf[2]}"


def month_of(day: date) -> Month:
    return (day.year, day.month)


@dataclass(frozen=True)
class Span:
    """A campaign's org, units and the months from its opening to its closing day."""

    id: str
    org: str
    units: frozenset[str]
    first: Month
    last: Month

    def covers(self, m: Month) -> bool:
        return self.first <= m <= self.last


def load_spans(db: Session, scope: Select[tuple[str]] | None, only: str | None = None) -> dict[str, Span]:
    """The campaigns of the orgs in `scope` (None: all), or the one campaign `only`."""
    stmt = select(Campaign)
    if scope is not None:
        stmt = stmt.where(col(Campaign.org_id).in_(scope))
    if only is not None:
        stmt = stmt.where(col(Campaign.id) == only)
    return {c.id: Span(c.id, c.org_id, frozenset(json.loads(c.units_json)), month_of(c.opens_on),
                       month_of(c.closes_on)) for c in db.exec(stmt.order_by(col(Campaign.id)))}


class Leaves:
    """The leaves of each month and where an answer goes. With `campaign`, only that campaign's leaves exist (its
    report); otherwise the tree's leaves and every campaign's (the HR report, which sums them per unit)."""

    def __init__(self, base: Sequence[BaseLeaf], unit_org: Mapping[str, str], spans: Mapping[str, Span],
                 campaign: str | None = None) -> None:
        self.base, self.unit_org, self.spans, self.campaign = list(base), unit_org, spans, campaign
        self.orgs = {org for org, _ in self.base}

    def _campaign_leaves(self, span: Span) -> list[Leaf]:
        if span.org not in self.orgs:
            return []
        units = sorted(u for u in span.units if self.unit_org.get(u) == span.org)
        return [(span.org, None, span.id), *((span.org, u, span.id) for u in units)]

    def of_month(self, m: Month) -> list[Leaf]:
        spans = [s for s in self.spans.values() if s.covers(m) and (self.campaign in (None, s.id))]
        out: list[Leaf] = [] if self.campaign is not None else list(self.base)
        for span in spans:
            out += self._campaign_leaves(span)
        return out

    def place(self, base: BaseLeaf, campaign: str | None, m: Month) -> Leaf | None:
        """The leaf of an answer whose tree leaf is `base`: its campaign's when the campaign covers the unit (or
        the org's own pool) that month; None when this report does not count it (a campaign report's others)."""
        span = self.spans.get(campaign) if campaign is not None else None
        if (span is not None and self.campaign in (None, span.id) and span.covers(m) and base[0] == span.org
                and (base[1] is None or base[1] in span.units)):
            return (base[0], base[1], span.id)
        return None if self.campaign is not None else base
