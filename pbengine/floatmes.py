"""A floating-point filter for MES: the exact selection, fast, or "too close to call".

`FloatMes.selection(b)` runs MES with budget b per voter in floating point (numpy, vectorised over
the supporters of a project) and carries, next to every voter type's float budget, a bound on how
far it can be from the exact budget. Every decision the run makes (is a project affordable, which
project has the lowest price, ties broken by id) is taken only when the bounds prove that exact
arithmetic would take the same decision; otherwise the run gives up and returns None, and the
caller runs the exact engine (`MesEngine.run`). So a selection it returns is the exact selection.

Error bounds, in currency units (u = 2**-53, the unit roundoff; every rounding error below is
counted with at least twice its worst case; docs/pbengine.md has the same argument in prose):

- budgets: e[i] >= |float budget - exact budget| of voter type i; at the start u * b.
- a project's money M = sum w*b: known within sum w*e plus the rounding of the sum.
- a price: rho* is the root of F(x) = sum w*min(b, x*u) = cost (exact budgets); G is the same
  sum over the float budgets. A voter with b - e >= x*u pays x*u under both, so
  |F(x) - G(x)| <= sum w*e over the other voters only. Newton's method on the concave G gives x
  with |G(x) - cost| <= |residual| + rounding, so |F(x) - cost| <= D. G falls by at least t*S when
  x falls by t, S = sum w*u over the voters paying x*u in full, so rho* > x - D/S; and G rises by
  at least t*S_t with S_t the same sum over the voters still paying in full at x + t, so
  rho* <= x + t once t*S_t >= D (plus the errors of the voters not surely paying in full there).
- after a purchase at price rho* in [lo, hi] (x computed): a voter's new budget
  max(0, b - rho* u) moves by at most e + u*max(x-lo, hi-x) (max(0, .) is 1-Lipschitz) plus the
  rounding of b - x*u; a voter with b + e < lo*u pays all it has in exact arithmetic too, so its
  new budget is exactly 0 and its bound becomes 0.
- prices only rise during a run (budgets only fall), so a lower bound on a project's price stays
  a lower bound for the rest of the run (the lazy evaluation of the exact engine).

Exact ties cannot be told apart by bounds. Two kinds are settled exactly: projects with the same
cost and the same supporters with the same utilities ("twins") always have the same price, so the
smaller id wins; and when every supporter of a project has exactly nothing left or surely pays
the full price, its price is cost / (their utility), compared in integers. Any other tie (or
near-tie) makes the run give up.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from heapq import heapify, heappop, heappush
from math import inf
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from pbengine.mes import MesEngine

_U = 2.0**-53  # unit roundoff of IEEE double precision
_EPS = 4 * _U  # every single rounding counted twice over
_EXACT_LIMIT = 2**53  # integers below this are exact in a double
_MAX_NEWTON = 60
_sum = np.add.reduce  # ndarray.sum without its Python wrapper
# budgets per voter the float filter takes on: times utilities (< 2**53) and voters (< 2**53), and
# every sum of those, far below the largest double (1.8e308)
_LARGEST_BUDGET = 1e200


class _Unsure(Exception):
    """A decision the float run cannot prove; the caller falls back to exact arithmetic."""


class FloatMes:
    """The float filter on one engine's profile. `usable` is False when utilities or their sums
    are too large to be exact doubles (then `selection` always returns None)."""

    def __init__(self, engine: MesEngine) -> None:
        self.engine = engine
        ids = engine.profile.project_ids
        self.ids = ids
        weights = np.array(engine.type_weight, dtype=np.float64)
        self.n_types = len(engine.type_weight)
        self.candidates = list(engine.candidates)
        self.cost: dict[int, float] = {}
        self.cost_err: dict[int, float] = {}
        self.idx: dict[int, NDArray[np.intp]] = {}
        self.util: dict[int, NDArray[np.float64]] = {}
        self.w: dict[int, NDArray[np.float64]] = {}
        self.wu: dict[int, NDArray[np.float64]] = {}
        self.inv_util: dict[int, NDArray[np.float64]] = {}
        self.first_lb: dict[int, float] = {}
        self.twin: dict[int, int] = {}
        usable = True
        groups: dict[tuple[object, ...], int] = {}
        for p in self.candidates:
            pairs = engine.supporters[p]
            if any(u >= _EXACT_LIMIT for _, u in pairs) or engine.total_util[p] >= _EXACT_LIMIT:
                usable = False
            idx = np.array([j for j, _ in pairs], dtype=np.intp)
            util = np.array([float(u) for _, u in pairs], dtype=np.float64)
            self.idx[p] = idx
            self.util[p] = util
            self.w[p] = weights[idx]
            self.wu[p] = weights[idx] * util
            self.inv_util[p] = 1.0 / util
            cost = engine.profile.costs[p]
            self.cost[p] = float(cost)
            self.cost_err[p] = 0.0 if cost.denominator == 1 and cost < _EXACT_LIMIT else _EPS * float(cost)
            total = float(engine.total_util[p])
            self.first_lb[p] = (float(cost) / total) * (1 - 4 * _EPS)  # rho >= cost / total utility
            key = (cost, tuple(sorted(pairs)))
            self.twin[p] = groups.setdefault(key, p)
        self.usable = usable and bool(weights.size == 0 or weights.sum() < _EXACT_LIMIT)
        self.fallbacks = 0  # how many runs gave up (for the benchmark and the tests)
        self._overlap: dict[int, frozenset[int]] = {}
        # prices computed in the current run, kept while none of the project's supporters has paid
        # for anything since (same budgets and error bounds give the same proven price)
        self._cache: dict[int, _Price] = {}

    def _sharing(self, p: int) -> frozenset[int]:
        """The candidates with at least one supporter (voter type) in common with p, p included."""
        found = self._overlap.get(p)
        if found is None:
            touched = np.zeros(self.n_types, dtype=np.bool_)
            touched[self.idx[p]] = True
            found = frozenset(q for q in self.candidates if bool(touched[self.idx[q]].any()))
            self._overlap[p] = found
        return found

    def selection(
        self, budget_per_voter: Fraction, reference: FloatRun | None = None, *, give_up: bool = False
    ) -> FloatRun | None:
        """The candidates MES buys, in order, with this budget per voter; None when too close to call.

        With `reference` (a run with a smaller budget per voter), the result also says whether every
        budget in between surely selects the same (`FloatRun.same_as_reference`, the sandwich of
        docs/pbengine.md); with `give_up` as well, the run stops as soon as that proof fails, and
        its selection is then incomplete (`complete` False)."""
        if not self.usable:
            self.fallbacks += 1
            return None
        try:
            b0 = float(budget_per_voter) if budget_per_voter < _LARGEST_BUDGET else inf
            return self._run(b0, reference, give_up)
        except _Unsure:
            if reference is not None and give_up:
                return FloatRun((), [], same_as_reference=False, complete=False)
            self.fallbacks += 1
            return None

    def _price(self, p: int, budget: NDArray[np.float64], err: NDArray[np.float64], start: float) -> _Price | None:
        """The float price of p with proven bounds lo < rho* <= hi; None if proven unaffordable.
        Raises _Unsure when neither can be proven."""
        idx = self.idx[p]
        w, wu = self.w[p], self.wu[p]
        cost, cost_err = self.cost[p], self.cost_err[p]
        size = idx.size
        b = budget[idx]
        e = err[idx]
        wb = w * b
        we = w * e
        money = float(_sum(wb))
        rounding = (size + 4) * _EPS * money
        slack = float(_sum(we)) * (1 + 1e-9) + rounding + cost_err
        if money + slack < cost:
            return None
        if money - slack <= cost:
            raise _Unsure
        # each voter's budget per unit of utility, within 3 roundings of b/u: compared with a
        # margin of 4 roundings it tells surely who is above or below a price
        ratio = b * self.inv_util[p]
        # Newton's method on the concave G(x) = sum w*min(b, x*u): the set of voters paying x*u
        # shrinks as x rises; stop when it stays the same
        # (x is only a candidate: the bounds below are proven whatever x is)
        x = start
        previous = -1.0
        for _ in range(_MAX_NEWTON):
            rich = ratio > x
            slope = float(np.dot(wu, rich))
            if slope <= 0:
                raise _Unsure
            if slope == previous:
                break  # the same voters pay in full: x is already the root of this linear piece
            previous, x = slope, (cost - money + float(np.dot(wb, rich))) / slope
        else:
            raise _Unsure
        raised = float(np.dot(wu, np.minimum(ratio, x)))  # sum w*min(b, x*u), within 3 roundings a term
        low = (b - e) * self.inv_util[p]  # the exact budget per unit of utility is at least about this
        # voters who surely pay x*u in exact arithmetic too do not feel their budget's error
        spread = float(np.dot(we, low < x * (1 + _EPS))) * (1 + 1e-9)
        slope = float(np.dot(wu, ratio >= x * (1 + _EPS))) * (1 - (size + 4) * _EPS)
        if slope <= 0:
            raise _Unsure
        fixed = abs(raised - cost) + (size + 4) * _EPS * (raised + money) + cost_err
        down = (fixed + spread) / slope * (1 + 1e-9)
        for factor in (1.01, 2.0, 16.0):
            up = factor * down
            threshold = (x + up) * (1 + _EPS)
            keeps = float(np.dot(wu, ratio >= threshold)) * (1 - (size + 4) * _EPS)
            far = float(np.dot(we, low < threshold)) * (1 + 1e-9)
            if up * keeps >= (fixed + far) * (1 + 1e-9):
                break
        else:
            raise _Unsure
        price = _Price(x, (x - down) * (1 - _EPS) - 1e-300, (x + up) * (1 + _EPS), b, e)
        if far > 0:
            # a supporter with an uncertain budget (e > 0) may pay less than the full price at hi:
            # `_exact_price` would almost surely find nothing, so skip it ("unknown" is always safe)
            price.exact_known = True
        return price

    def _exact_price(self, p: int, price: _Price) -> Fraction | None:
        """rho* exactly, when every supporter either has exactly nothing left or surely pays the
        full price: then rho* = cost / (their utility), in integers. Settles exact ties."""
        if price.exact_known:
            return price.exact
        price.exact = self._compute_exact_price(p, price)
        price.exact_known = True
        return price.exact

    def _compute_exact_price(self, p: int, price: _Price) -> Fraction | None:
        util = self.util[p]
        b, e = price.budget, price.err
        rich = (b - e) >= price.hi * (1 + _EPS) * util
        if not bool(np.all(rich | ((b == 0) & (e == 0)))):
            return None
        total = int(np.dot(self.wu[p], rich))  # integers below 2**53: exact
        return self.engine.profile.costs[p] / total if total else None

    def _cheaper(self, p: int, q: int, prices: dict[int, _Price]) -> bool:
        """Whether p comes before q (lower price, ties to the smaller id), proven, or _Unsure."""
        ids = self.ids
        if self.twin[p] == self.twin[q]:
            return ids[p] < ids[q]
        a, c = prices[p], prices[q]
        if a.hi < c.lo:
            return True
        if c.hi < a.lo:
            return False
        exact_a, exact_c = self._exact_price(p, a), self._exact_price(q, c)
        if exact_a is None or exact_c is None:
            raise _Unsure
        if exact_a != exact_c:
            return exact_a < exact_c
        return ids[p] < ids[q]

    def _dearer(self, p: int, price: _Price, than: Fraction | None, wins_tie: bool) -> bool:
        """Whether p's exact price is proven above `than` (or equal, and the tie goes the other way)."""
        if than is None:
            return False
        exact = self._exact_price(p, price)
        return exact is not None and (exact > than or (exact == than and wins_tie))

    def _choose(
        self,
        lower: dict[int, float],
        heap: list[tuple[float, int]],
        *,
        budget: NDArray[np.float64],
        err: NDArray[np.float64],
        also_below: float,
    ) -> tuple[int, dict[int, _Price]]:
        """One round: the project MES buys (-1 if none is affordable), proven, and the projects priced.

        Prices projects in order of their lower bounds (`heap`, entries that no longer match
        `lower` are stale) until the next bound exceeds the favourite's upper bound (and
        `also_below`); drops the projects proven unaffordable from `lower`."""
        prices: dict[int, _Price] = {}
        best = -1
        while heap:
            bound, p = heap[0]
            if lower.get(p) != bound:
                heappop(heap)
                continue
            if best >= 0 and bound > prices[best].hi and bound > also_below:
                break
            heappop(heap)
            found = self._cache.get(p)
            if found is None:
                found = self._price(p, budget, err, bound)
            if found is None:
                del lower[p]
                continue
            prices[p] = self._cache[p] = found
            if best < 0 or found.x < prices[best].x:
                best = p
        for p, found in prices.items():
            lower[p] = max(lower[p], found.lo)
            heappush(heap, (lower[p], p))
        if best < 0:
            return best, prices
        # the float favourite must beat every other project priced, provably
        for p in prices:
            if p != best and not self._cheaper(best, p, prices):
                best = p
        while heap and lower.get(heap[0][1]) != heap[0][0]:
            heappop(heap)
        if heap and heap[0][1] not in prices and heap[0][0] <= prices[best].hi:
            raise _Unsure  # skipped on the favourite's bound, not on the winner's
        return best, prices

    def _run(self, b0: float, reference: FloatRun | None, give_up: bool) -> FloatRun:
        if not b0 < _LARGEST_BUDGET:
            raise _Unsure  # sums of budgets times utilities could overflow
        budget = np.full(self.n_types, b0, dtype=np.float64)
        err = np.full(self.n_types, _EPS * b0, dtype=np.float64)
        lower = dict(self.first_lb)  # proven lower bounds on each remaining candidate's price
        cache = self._cache
        cache.clear()
        heap = [(bound, p) for p, bound in lower.items()]
        heapify(heap)
        chosen: list[int] = []
        trace: list[tuple[int, float, Fraction | None]] = []
        twin, ids = self.twin, self.ids
        checking = reference is not None
        ref_prices = reference.prices if reference is not None else []
        while lower:
            # proving the sandwich: every other project must be priced above the reference's price
            ref_p, ref_hi, ref_exact = (
                ref_prices[len(chosen)] if checking and len(chosen) < len(ref_prices) else (-1, -1.0, None)
            )
            best, prices = self._choose(lower, heap, budget=budget, err=err, also_below=ref_hi)
            if best < 0:
                break
            if checking:
                checking = best == ref_p and all(
                    p == best
                    or lower[p] > ref_hi
                    or (twin[p] == twin[best] and ids[best] < ids[p])
                    or self._dearer(p, prices[p], ref_exact, ids[best] < ids[p])
                    for p in prices  # the others' bounds are above ref_hi: they were not priced
                    if p in lower
                )
                if give_up and not checking:
                    return FloatRun(tuple(chosen), trace, same_as_reference=False, complete=False)
            top = prices[best]
            x, lo, hi = top.x, top.lo, top.hi
            reach = max(x - lo, hi - x)
            exact = self._exact_price(best, top)
            if exact is not None:  # no one pays all they have: the price is known exactly
                x = float(exact)
                reach, lo, hi = _EPS * x, x * (1 - _EPS), x * (1 + _EPS)
            # everyone pays x*u or all they have; bounds grow by u * (distance to rho*)
            idx, util = self.idx[best], self.util[best]
            b, e = top.budget, top.err
            xu = x * util
            new_e = e + util * reach + _EPS * (b + xu)
            budget[idx] = np.maximum(b - xu, 0.0)
            err[idx] = np.where((b + e) * (1 + _EPS) < lo * (1 - _EPS) * util, 0.0, new_e)
            sharing = self._sharing(best)
            for q in [q for q in cache if q in sharing]:
                del cache[q]
            chosen.append(best)
            trace.append((best, hi, exact))
            del lower[best]
        same = checking and len(chosen) == len(ref_prices)
        return FloatRun(tuple(chosen), trace, same_as_reference=same, complete=True)


@dataclass(frozen=True)
class FloatRun:
    """A float run's selection (candidates in order of purchase) and, per round, the project
    bought with a proven upper bound on its price (to compare with runs with more money)."""

    chosen: tuple[int, ...]
    prices: list[tuple[int, float, Fraction | None]]  # project, upper bound on rho*, rho* if known
    same_as_reference: bool
    complete: bool


class _Price:
    """A project's float price x with proven bounds lo < rho* <= hi, and its supporters'
    budgets and error bounds at that moment."""

    __slots__ = ("budget", "err", "exact", "exact_known", "hi", "lo", "x")

    def __init__(self, x: float, lo: float, hi: float, budget: NDArray[np.float64], err: NDArray[np.float64]) -> None:
        self.x, self.lo, self.hi, self.budget, self.err = x, lo, hi, budget, err
        self.exact: Fraction | None = None  # rho* exactly, once `FloatMes._exact_price` knows it
        self.exact_known = False
