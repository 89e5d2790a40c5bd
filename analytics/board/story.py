"""The board's story: what changed against the previous period, in a few ranked sentences.

`summary(prepared, period, filters, lang)` applies the rules of `RULES` (declared once, as data:
which indicator, the smallest movement worth a sentence, the page that shows it) to the
catalogue's numbers and returns `Item`s, largest movement first. In the current, unfinished
year the numbers are like for like (`compute.compared`) and the sentences say "2026 to date"
against "2025 to the same date". No language model: each
sentence is a message of locales/<lang>/story.toml filled with Babel-formatted values. Sizes
are relative (a change of contributions in % of the previous total, a share's change or its gap
to the target in points, partners lost in % of last year's givers, new partnerships in % of the
active ones) so that rules of different units rank together.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from analytics import config
from analytics.board.story_follow_up import overdue
from analytics.i18n import fmt_money, fmt_number, fmt_percent, t
from analytics.indicators.compute import compared, targets
from analytics.indicators.context import Context
from analytics.indicators.format import (
    compared_labels,
    format_change,
    format_value,
    period_label,
)
from analytics.indicators.prepare import Prepared
from analytics.indicators.scope import Filters, comparison, period_bounds
from analytics.indicators.views import regions_in_scope
from analytics.store.removals import Removal, removed_text
from schemas.workbook import Partners as P


@dataclass(frozen=True)
class Rule:
    """What movement of an indicator is worth a sentence, and which page shows it."""

    id: str  # the rule, and its section in story.toml
    indicator: str  # the catalogue id the sentence is about
    worth: float  # the smallest movement worth a sentence, in the rule's unit (see RULES)
    page: str  # the dashboard page the sentence links to (app_pages/dashboards/<page>.py)


# In the order of a tie. Units of `worth`: contributions, the change in % of the previous total;
# lybunt and new partnerships, partners; below target, the gap to the target in points (any gap
# is worth a sentence); due diligence and concentration, the change in points.
RULES: tuple[Rule, ...] = (
    Rule("contributions", "contributions_usd", 0.05, "by_region"),
    Rule("lybunt", "lybunt_partners", 1, "partners"),
    Rule("below_target", "private_share_of_budget", 0.0, "by_region"),
    Rule("new_partnerships", "new_partnerships", 1, "partners"),
    Rule("due_diligence", "due_diligence_coverage", 0.05, "gaps"),
    Rule("concentration", "top5_share", 0.05, "partners"),
)
RULE = {r.id: r for r in RULES}
# Rows an upload removed, with the reason its uploader gave (analytics.store.removals): not a
# movement of an indicator, said after the movements, oldest first, linked to the version history.
REMOVALS, REMOVED_ROWS = "removals", "removed_rows"
# Reports overdue (analytics.board.story_follow_up), from the agreements' follow-up: ranked with
# the movements, after the RULES in a tie; shown on the agreements page.
OVERDUE = "overdue"
NAMES_SHOWN = 5  # partners named in a sentence; the others are counted


@dataclass(frozen=True)
class Item:
    """One sentence of the story with its evidence: the numbers and the groups it names."""

    rule: str
    indicator: str
    value: float
    previous: float | None  # None: no previous data (a first year)
    groups: tuple[str, ...]  # region codes, or partner names (lybunt)
    text: str
    size: float = field(default=0.0, compare=False)  # the movement's size, for the ranking
    regions: tuple[str, ...] = ()  # the regions the linked view narrows to

    def as_dict(self) -> dict:
        """The item as the command line's JSON writes it."""
        return {
            "indicator": self.indicator,
            "value": _plain(self.value),
            "previous": _plain(self.previous),
            "groups": list(self.groups),
            "text": self.text,
        }


def _plain(x):
    if x is None or not np.isfinite(x):
        return None
    return int(x) if float(x).is_integer() else float(x)


def _finite(x) -> bool:
    return x is not None and bool(np.isfinite(x))


def summary(
    prepared: Prepared,
    period,
    filters: Filters | None = None,
    lang: str = "en",
    today: date | None = None,
    removals: Sequence[Removal] = (),
) -> list[Item]:
    """The story of a view: items worth a sentence, largest movement first (ties: RULES order),
    then the `removals` made in the period in the view's regions (analytics.store.removals).
    The overdue reports' sentence counts the agreements and reports of the prepared register."""
    period = period_bounds(period)
    filters = filters or Filters()
    s = _Story(prepared, period, filters, lang, today)
    items = [
        *s.contributions(),
        *s.lybunt(),
        *s.below_target(),
        *s.new_partnerships(),
        *s.share_moved("due_diligence", -1),
        *s.share_moved("concentration", +1),
    ]
    late = overdue(prepared, period, filters, lang, today)
    if late is not None:
        values = (late.value, late.previous, late.regions, late.text, late.size, late.regions)
        items.append(Item(OVERDUE, "reports_overdue", *values))
    order = {r.id: n for n, r in enumerate(RULES)} | {OVERDUE: len(RULES)}
    ranked = sorted(items, key=lambda i: (-i.size, order[i.rule]))
    return ranked + removal_items(prepared, period, filters, removals, lang)


def removal_items(
    prepared: Prepared, period, filters: Filters, removals: Sequence[Removal], lang: str
) -> list[Item]:
    """ "RBN removed 4 partners: 'duplicates merged'.": one sentence per version of the period that
    removed rows of a region in scope, with its uploader's reason."""
    first, last = period_bounds(period)
    regions = set(regions_in_scope(prepared, filters))
    items = []
    for r in removals:
        if r.region not in regions or not first <= r.created_at.year <= last:
            continue
        text = t(
            "story.removals.sentence",
            lang,
            region=r.region,
            rows=removed_text(r.removed, lang),
            reason=r.reason,
        )
        n = sum(r.removed.values())
        items.append(Item(REMOVALS, REMOVED_ROWS, n, None, (r.region,), text, 0.0, (r.region,)))
    return items


def item_page(item: Item) -> str:
    """The page that shows an item, under app_pages/: a dashboard, or the version history."""
    if item.rule == REMOVALS:
        return "data/data_quality"
    if item.rule == OVERDUE:
        return "dashboards/agreements"
    return f"dashboards/{RULE[item.rule].page}"


def nothing_changed(period, lang: str = "en", today: date | None = None) -> str:
    """What the story says when no movement is worth a sentence."""
    _, previous = compared_labels(comparison(period, today or config.today()), lang)
    return t("story.nothing", lang, previous=previous)


def title(period, lang: str = "en", today: date | None = None) -> str:
    """The story's heading: "What changed since 2025", or, in today's unfinished year, "What
    changed: year to date, compared with the same period of 2025"."""
    c = comparison(period, today or config.today())
    if c.like_for_like:
        return t("story.title_year_to_date", lang, previous=period_label(c.previous))
    return t("story.title", lang, previous=period_label(c.previous))


class _Story:
    """The numbers of one view and its previous period, read once for every rule."""

    def __init__(self, prepared, period, filters, lang, today):
        self.prepared, self.period, self.filters = prepared, period, filters
        self.lang, self.today = lang, today or config.today()
        # Like for like when the period ends in today's unfinished year (scope.comparison).
        self.comparison = comparison(period, self.today)
        self.before = self.comparison.previous
        period_text, previous_text = compared_labels(self.comparison, lang)
        self.labels = {"period": period_text, "previous": previous_text}
        ids = [r.indicator for r in RULES] + ["contributing_partners", "active_partners"]
        self.now, self.then = self._by_region(ids)
        now, then, _ = compared(prepared, period, (), filters, self.today, ids)
        self.total_now, self.total_then = now.iloc[0], then.iloc[0]
        # A previous period "has data" when contributions were recorded in it: partners started
        # before the first year would otherwise make a first upload look like a fall.
        self.has_previous = bool(self.total_then["contributing_partners"] > 0)

    def _by_region(self, ids):
        now, then, _ = compared(
            self.prepared, self.period, (P.region,), self.filters, self.today, ids
        )
        return now.set_index(P.region), then.set_index(P.region)

    def _t(self, key: str, **values) -> str:
        return t(f"story.{key}", self.lang, **self.labels, **values)

    def contributions(self) -> list[Item]:
        rule = RULE["contributions"]
        value = float(self.total_now[rule.indicator])
        previous = float(self.total_then[rule.indicator])
        if not (_finite(value) and _finite(previous)):  # a sum that overflowed: no sentence
            return []
        money = fmt_money(value, self.lang)
        if not self.has_previous or previous <= 0:
            if value <= 0:
                return []
            text = self._t("contributions.first", value=money)
            return [Item(rule.id, rule.indicator, value, None, (), text, 1.0)]
        change = value - previous
        pct = change / previous
        if abs(pct) < rule.worth - 1e-12:  # a float's noise does not hide a 5 % move
            return []
        direction = "up" if change > 0 else "down"
        values = {
            "value": money,
            "change": fmt_money(abs(change), self.lang),
            "pct": fmt_percent(abs(pct), self.lang),
        }
        by_region = (self.now[rule.indicator] - self.then[rule.indicator]) * np.sign(change)
        groups: tuple[str, ...] = ()
        if len(by_region) > 1 and by_region.max() > 0:
            region = str(by_region.idxmax())
            groups = (region,)
            sign = "+" if change > 0 else "−"
            values["region"] = region
            values["region_change"] = sign + fmt_money(by_region.max(), self.lang)
            direction += "_from"
        text = self._t(f"contributions.{direction}", **values)
        return [Item(rule.id, rule.indicator, value, previous, groups, text, abs(pct), groups)]

    def lybunt(self) -> list[Item]:
        rule = RULE["lybunt"]
        if not self.has_previous:
            return []
        c = self.comparison  # like for like: who gave by this date in each year
        x = Context(self.prepared, self.before, (), self.filters, self.today, c.previous_through)
        now = Context(self.prepared, self.period, (), self.filters, self.today, c.through)
        lost = x.gave_in_period[0] & ~now.gave_in_period[0]
        n = int(lost.sum())
        if n < rule.worth:
            return []
        keys = np.flatnonzero(lost)
        keys = keys[np.lexsort((keys, -x.partner_totals[0][keys]))]  # largest givers first
        names = tuple(self._partner_name(int(k)) for k in keys)
        shown = ", ".join(names[:NAMES_SHOWN])
        if n > NAMES_SHOWN:
            shown = self._t("more", names=shown, count=n - NAMES_SHOWN)
        text = self._t("lybunt", count=n, names=shown)
        givers = max(int(self.total_then["contributing_partners"]), 1)
        previous = float(self.total_then[rule.indicator])
        regions = tuple(sorted({self._partner_region(int(k)) for k in keys} - {""}))
        return [Item(rule.id, rule.indicator, n, previous, names, text, n / givers, regions)]

    def _partner_name(self, key: int) -> str:
        p = self.prepared.partners
        if key < len(p):
            name = p[P.partner_name].iloc[key]
            return str(name) if name is not None and str(name) else str(p[P.partner_id].iloc[key])
        return t("story.unknown_partner", self.lang)

    def _partner_region(self, key: int) -> str:
        p = self.prepared.partners
        return str(p[P.region].iloc[key]) if key < len(p) else ""

    def below_target(self) -> list[Item]:
        """One sentence naming every region below its target, the farthest first."""
        rule = RULE["below_target"]
        share = self.now[rule.indicator]
        target = targets(self.prepared, self.period, (P.region,), self.filters)
        target = target.set_index(P.region)[rule.indicator]
        reported = set(self.prepared.partners[P.region].dropna().astype("str"))
        gaps = {}
        for region in share.index:
            if str(region) not in reported:  # a region that never reported has no share to miss
                continue
            value, goal = float(share[region]), float(target[region])
            if _finite(value) and _finite(goal) and goal - value > rule.worth:
                gaps[str(region)] = (goal - value, value, goal)
        if not gaps:
            return []
        regions = tuple(sorted(gaps, key=lambda r: (-gaps[r][0], r)))
        details = ", ".join(
            self._t(
                "region_against",
                region=r,
                value=format_value(rule.indicator, gaps[r][1], self.lang),
                target=format_value(rule.indicator, gaps[r][2], self.lang),
            )
            for r in regions
        )
        text = self._t("below_target", count=len(regions), details=details)
        # One region: its own share; several: the share of the whole view.
        now, then = self.total_now, self.total_then
        if len(regions) == 1:
            now, then = self.now.loc[regions[0]], self.then.loc[regions[0]]
        value, previous = float(now[rule.indicator]), float(then[rule.indicator])
        previous = previous if self.has_previous and _finite(previous) else None
        size = gaps[regions[0]][0]  # the widest gap, in points like the other shares
        return [Item(rule.id, rule.indicator, value, previous, regions, text, size, regions)]

    def new_partnerships(self) -> list[Item]:
        rule = RULE["new_partnerships"]
        n = int(self.total_now[rule.indicator])
        if n < rule.worth:
            return []
        counts = self.now[rule.indicator]
        regions = tuple(str(r) for r in counts.index if counts[r] > 0)
        where = ", ".join(f"{r} {fmt_number(int(counts[r]), self.lang)}" for r in regions)
        text = self._t("new_partnerships", count=n, regions=where)
        previous = float(self.total_then[rule.indicator]) if self.has_previous else None
        active = max(int(self.total_now["active_partners"]), 1)
        return [Item(rule.id, rule.indicator, n, previous, regions, text, n / active, regions)]

    def share_moved(self, rule_id: str, worrying: int) -> list[Item]:
        """A share that moved the worrying way (-1: fell, +1: rose) by at least `worth` points."""
        rule = RULE[rule_id]
        value = float(self.total_now[rule.indicator])
        previous = float(self.total_then[rule.indicator])
        if not (self.has_previous and _finite(value) and _finite(previous)):
            return []
        change = value - previous
        if change * worrying < rule.worth - 1e-12:  # a float's noise is not a movement
            return []
        text = self._t(
            rule_id,
            value=format_value(rule.indicator, value, self.lang),
            previous_value=format_value(rule.indicator, previous, self.lang),
            change=format_change(rule.indicator, change, lang=self.lang),
        )
        return [Item(rule.id, rule.indicator, value, previous, (), text, abs(change))]
