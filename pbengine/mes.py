"""The Method of Equal Shares (MES), exact, on weighted voter types, with Add1 completion.

Money is kept as Python integers: every amount is scaled by a common factor `scale` that grows
whenever a price would otherwise leave a fraction, and utilities are scaled to integers once.
A price per unit of utility (rho) is a pair (numerator, denominator) compared by cross-multiplying.

For the Add1 completion the run at voter budget b + t is tracked as affine functions of t: while
every comparison the run made keeps its sign, the run (and so its outcome) does not change. Each
run therefore also reports how far the budget may grow before anything could change, and the
completion jumps straight to the first whole increment past that point. The outcomes are the
same as running MES again for every single increment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, lcm

from pbengine.model import Profile


@dataclass(frozen=True)
class MesPayment:
    """What the voters of one voter type paid for one project (per voter)."""

    voter_type: int
    amount: Fraction
    all_they_had: bool  # True when the voter could not pay the full price and paid all it had


@dataclass(frozen=True)
class MesRound:
    """One purchase: the project, its price per unit of utility and who paid what."""

    project: str
    rho: Fraction
    payments: tuple[MesPayment, ...]


@dataclass(frozen=True)
class MesRun:
    """The result of one MES run with a given budget per voter."""

    selected: tuple[str, ...]  # free supported projects first (by id), then in order of purchase
    budget_per_voter: Fraction
    rounds: tuple[MesRound, ...]
    budget_left: tuple[Fraction, ...]  # per voter type, per voter, at the end
    free_projects: tuple[str, ...]
    candidates: tuple[str, ...]  # projects MES could buy: supported and with a positive cost


@dataclass(frozen=True)
class _Trace:
    """What a run chose and at what price, to compare runs with different budgets per voter.

    `prices[r]` is (project index, numerator, denominator) of the price per unit of (scaled)
    utility paid in round r, in currency units. `same_as_reference` is True when the run was
    given the trace of a run with a smaller budget per voter, chose the same projects in the
    same rounds, and every other project was, in every round, priced above the reference
    run's price for that round (or equal to it with a larger id) or could not be afforded.
    Then every budget per voter in between selects the same projects (see `mes_add1`).
    """

    prices: list[tuple[int, int, int]]
    same_as_reference: bool


class _Bound:
    """Smallest t at which a recorded condition a + c*t >= 0 (or > 0) might fail."""

    __slots__ = ("den", "num", "strict")

    def __init__(self) -> None:
        self.num = 1
        self.den = 0  # den == 0 means +infinity
        self.strict = False

    def add(self, a: int, c: int, strict: bool) -> None:
        if c >= 0:
            return
        c = -c
        if self.den == 0 or a * self.den < self.num * c:
            self.num, self.den, self.strict = a, c, strict
        elif strict and a * self.den == self.num * c:
            self.strict = True

    def next_step(self, increment: Fraction) -> int | None:
        """The smallest whole number of increments at which the run might differ."""
        if self.den == 0:
            return None
        limit = Fraction(self.num, self.den) / increment
        steps = limit.numerator // limit.denominator
        if self.strict and limit.denominator == 1:
            return max(steps, 1)
        return steps + 1


def _no_cheaper(
    bound: _Bound,
    items: list[tuple[int, int, int, int]],
    cost: int,
    rho: tuple[int, int, int],
    factor: int = 1,
) -> None:
    """Record up to where a project stays dearer than the price `rho` of the chosen one.

    `items` are its supporters' (budget a + c*t, utility, weight) in money scaled `factor` times
    less than now. Budgets only fall during a run, so items from an earlier round also give a
    safe limit.

    The project is strictly dearer exactly when its supporters, each paying at most rho per unit
    of utility, cannot raise its cost: G(t) = sum w*min(b(t), rho(t)*u) - cost < 0. G is concave in
    t (a sum of minimums of affine functions), so it stays below its tangent at t = 0, and the
    tangent's zero is a safe limit. Strict even for a won tie: a project whose supporters could
    raise exactly its cost might then be priced below rho.
    """
    na, nc, den = rho
    value = -den * cost
    slope = 0
    for a, c, u, w in items:
        b0, b1 = den * a * factor, den * c * factor  # budget side, times den
        r0, r1 = na * u, nc * u  # price side, times den
        if b0 < r0 or (b0 == r0 and b1 <= r1):
            value += w * b0
            slope += w * b1
        else:
            value += w * r0
            slope += w * r1
    bound.add(-value, -slope, True)


class MesEngine:
    """MES on one profile. Build once; `run` may then be called for many budgets per voter."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        n_projects = len(profile.project_ids)
        # many ballots share the same Fraction objects (a project's cost, a number of points):
        # look each one at most once, by identity (the profile keeps them all alive meanwhile)
        distinct = {id(u): u for t in profile.types for _, u in t.utilities}
        util_scale = lcm(1, *(u.denominator for u in distinct.values()))
        self.util_scale = util_scale
        # Fractions keep a positive denominator, so a positive numerator is a positive utility
        scaled_of = {
            key: u.numerator * (util_scale // u.denominator) if u.numerator > 0 else 0 for key, u in distinct.items()
        }
        supporters: list[list[tuple[int, int]]] = [[] for _ in range(n_projects)]
        total = [0] * n_projects
        self.type_weight = [t.weight for t in profile.types]
        self.type_utils: list[list[tuple[int, int]]] = []
        for j, vt in enumerate(profile.types):
            mine: list[tuple[int, int]] = []
            weight = vt.weight
            for p, u in vt.utilities:
                scaled = scaled_of[id(u)]
                if scaled:
                    supporters[p].append((j, scaled))
                    mine.append((p, scaled))
                    total[p] += weight * scaled
            self.type_utils.append(mine)
        self.supporters = supporters
        self.total_util = total
        ids = profile.project_ids
        self.free = sorted(
            (p for p in range(n_projects) if total[p] > 0 and profile.costs[p] == 0),
            key=lambda p: ids[p],
        )
        self.candidates = [p for p in range(n_projects) if total[p] > 0 and profile.costs[p] > 0]
        # per project: the lcm of its utilities, to sort supporters by budget/utility in integers
        self.util_lcm = [lcm(1, *(u for _, u in supporters[p])) for p in range(n_projects)]
        self.base_budget = profile.budget / profile.num_voters if profile.num_voters else Fraction(0)
        self.money_scale = lcm(self.base_budget.denominator, *(c.denominator for c in profile.costs))

    def run(
        self,
        budget_per_voter: Fraction,
        *,
        track: bool = False,
        explain: bool = False,
        reference: _Trace | None = None,
        give_up: bool = False,
        sequence: tuple[int, ...] | None = None,
    ) -> tuple[MesRun, _Bound, _Trace]:
        """One MES run. With `track`, also the bound on t up to which budget_per_voter + t
        gives exactly the same run. With `reference` (the trace of a run with a smaller budget
        per voter), the trace also says whether every budget in between gives the same
        selection (see `_Trace`); with `give_up` as well, the run stops as soon as it is clear
        that it does not (its outcome and bound are then partial and must not be used).
        With `sequence` (the projects this run is already proven to buy, in order, by the float
        filter), only those are priced: the rounds, payments and budgets left come out exact."""
        prof = self.profile
        ids = prof.project_ids
        scale = lcm(self.money_scale, budget_per_voter.denominator)
        start = int(budget_per_voter * scale)
        # budget classes: voters of the same class have the same budget a + c*t (scaled money)
        cls_a = [0, start]
        cls_c = [0, scale]
        type_cls = [1] * len(prof.types)
        cost = [int(c * scale) for c in prof.costs]
        lower: dict[int, tuple[int, int, int]] = {p: (cost[p], 0, self.total_util[p]) for p in self.candidates}
        # for a project compared by its stale lower bound: up to where that bound stays valid
        lower_valid: dict[int, tuple[list[tuple[int, int, int, int]], int, tuple[int, int, int], int]] = {}

        def shape_bound(q: int) -> None:
            # the price found for q keeps its shape while who pays all they have stays the same
            items, split, (na, nc, den), _ = lower_valid[q]
            for index, (a, c, u, _) in enumerate(items):
                if index < split:
                    bound.add(na * u - a * den, nc * u - c * den, False)
                else:
                    bound.add(a * den - na * u, c * den - nc * u, False)

        bound = _Bound()
        selected: list[int] = []
        rounds: list[MesRound] = []
        weight = self.type_weight
        prices: list[tuple[int, int, int]] = []
        checking = reference is not None
        ref_prices = reference.prices if reference is not None else []
        while lower:
            if sequence is not None:
                if len(selected) == len(sequence):
                    break
                order = [(0.0, "", sequence[len(selected)])]
            else:
                order = sorted((lower[p][0] / lower[p][2], ids[p], p) for p in lower)
            best: int | None = None
            best_rho = (0, 0, 1)
            best_float = 0.0
            competitors: list[tuple[int, list[tuple[int, int, int, int]]]] = []
            evaluated_now: list[int] = []
            # sandwich check: projects must also be priced up to the reference run's price
            ref_num, ref_den, ref_float = 0, 1, 0.0
            comparing = checking and len(ref_prices) > len(prices)
            if comparing:
                _, ref_num, ref_den = ref_prices[len(prices)]
                ref_num *= scale
                ref_float = ref_num / ref_den
            for approx, _, p in order:
                la, _, ld = lower[p]
                if (
                    best is not None
                    and la * best_rho[2] > best_rho[0] * ld
                    and (not comparing or la * ref_den > ref_num * ld)
                ):
                    if approx > max(best_float, ref_float) * (1 + 1e-9):
                        break
                    continue
                counts: dict[tuple[int, int], int] = {}
                for j, u in self.supporters[p]:
                    key = (type_cls[j], u)
                    counts[key] = counts.get(key, 0) + weight[j]
                items = [(cls_a[cl], cls_c[cl], u, w) for (cl, u), w in counts.items()]
                have_a = sum(w * a for a, _, _, w in items)
                if have_a < cost[p]:
                    if track:
                        have_c = sum(w * c for _, c, _, w in items)
                        bound.add(cost[p] - have_a, -have_c, True)
                    del lower[p]
                    lower_valid.pop(p, None)
                    continue
                ulcm = self.util_lcm[p]
                items.sort(key=lambda it: it[0] * (ulcm // it[2]))
                poor_a = poor_c = 0
                rich_u = self.total_util[p]
                split = len(items)
                for index, (a, c, u, w) in enumerate(items):
                    if (cost[p] - poor_a) * u <= a * rich_u:
                        split = index
                        break
                    poor_a += w * a
                    poor_c += w * c
                    rich_u -= w * u
                rho = (cost[p] - poor_a, -poor_c, rich_u)
                lower[p] = rho
                evaluated_now.append(p)
                if track:
                    lower_valid[p] = (items, split, rho, scale)
                    competitors.append((p, items))
                if best is None:
                    best, best_rho = p, rho
                else:
                    diff = rho[0] * best_rho[2] - best_rho[0] * rho[2]
                    if diff < 0 or (diff == 0 and ids[p] < ids[best]):
                        best, best_rho = p, rho
                best_float = best_rho[0] / best_rho[2]
            if best is None:
                if sequence is not None:
                    raise AssertionError("the float filter chose a project MES cannot afford")
                break
            if checking:
                if not comparing or ref_prices[len(prices)][0] != best:
                    checking = False
                else:
                    for q in evaluated_now:
                        if q == best:
                            continue
                        diff = lower[q][0] * ref_den - ref_num * lower[q][2]
                        if diff < 0 or (diff == 0 and ids[q] < ids[best]):
                            checking = False
                            break
                if give_up and not checking:
                    break
            prices.append((best, best_rho[0], best_rho[2] * scale))
            if track:
                # the chosen project's price keeps its shape (who pays all they have) ...
                shape_bound(best)
                evaluated = set()
                for q, items in competitors:
                    if q != best:
                        # ... and each project priced this round stays no cheaper (ties: smaller id)
                        evaluated.add(q)
                        _no_cheaper(bound, items, cost[q], best_rho)
                ba, bc, bd = best_rho
                for q, (qa, qc, qd) in lower.items():
                    if q == best or q in evaluated:
                        continue
                    # ... and so does each project whose stale lower bound already ruled it out
                    if q in lower_valid:
                        items, _, _, then = lower_valid[q]
                        _no_cheaper(bound, items, cost[q], best_rho, scale // then)
                    else:
                        bound.add(qa * bd - ba * qd, qc * bd - bc * qd, ids[q] < ids[best])
            # rescale money so the price per unit of utility is a whole number
            na, nc, den = best_rho
            factor = den // gcd(den, gcd(na, nc))
            if factor > 1:
                cls_a = [a * factor for a in cls_a]
                cls_c = [c * factor for c in cls_c]
                cost = [c * factor for c in cost]
                scale *= factor
                lower = {q: (qa * factor, qc * factor, qd) for q, (qa, qc, qd) in lower.items()}
            price_a = na * factor // den
            price_c = nc * factor // den
            # move the supporters: the rich pay price*u, the poor pay everything they have
            new_cls: dict[tuple[int, int], int] = {}
            payments: list[MesPayment] = []
            amounts: dict[int, Fraction] = {}
            for j, u in self.supporters[best]:
                old = type_cls[j]
                key = (old, u)
                target = new_cls.get(key)
                a_old, c_old = cls_a[old], cls_c[old]
                poor = a_old < price_a * u
                if target is None:
                    if poor or (a_old == price_a * u and c_old == price_c * u):
                        target = 0
                    else:
                        target = len(cls_a)
                        cls_a.append(a_old - price_a * u)
                        cls_c.append(c_old - price_c * u)
                    new_cls[key] = target
                if explain:
                    paid = a_old if poor else price_a * u
                    amount = amounts.get(paid)
                    if amount is None:  # many voters pay the same: normalise each amount once
                        amount = amounts[paid] = Fraction(paid, scale)
                    payments.append(MesPayment(j, amount, poor))
                type_cls[j] = target
            selected.append(best)
            del lower[best]
            lower_valid.pop(best, None)
            if explain:
                rho_value = Fraction(na, den) * self.util_scale / scale * factor
                rounds.append(MesRound(ids[best], rho_value, tuple(payments)))
        left: tuple[Fraction, ...] = ()
        if explain:
            # normalise only the classes voters are still in (most classes were left behind)
            left_of_class = {c: Fraction(cls_a[c], scale) for c in set(type_cls)}
            left = tuple(left_of_class[c] for c in type_cls)
        run = MesRun(
            selected=tuple(ids[p] for p in self.free + selected),
            budget_per_voter=budget_per_voter,
            rounds=tuple(rounds),
            budget_left=left,
            free_projects=tuple(ids[p] for p in self.free),
            candidates=tuple(ids[p] for p in self.candidates),
        )
        same = checking and len(ref_prices) == len(prices)
        return run, bound, _Trace(prices, same)


# An exact run costs about as much as a float run on 1,000 supporter entries and grows with them;
# the exact search goes on while it advances more increments per run than that ratio, and is not
# tried at all on profiles with more supporter entries than EXACT_PHASE_LIMIT.
EXACT_PER_FLOAT_RUN = 1_000
EXACT_PHASE_LIMIT = 20_000


def _exact_jumps(
    engine: MesEngine, profile: Profile, step: Fraction, judge: Callable[[MesRun], str]
) -> tuple[int, str, int]:
    """The search of `mes_add1` with exact runs and their proofs (affine tracking and the sandwich),
    as long as it pays: while it advances more increments per exact run than an exact run
    costs float runs (about one per 1,000 supporter entries).

    Returns (k, state, runs): either the final increment with state "over" (keep k) or
    "exhaustive", or an increment k that did not stop the search (state "go on"), from which
    the float search goes on."""
    entries = sum(len(s) for s in engine.supporters)
    if entries > EXACT_PHASE_LIMIT:
        return 0, "not judged", 0
    worth = 1 + entries // EXACT_PER_FLOAT_RUN
    run, bound, trace = engine.run(engine.base_budget, track=True)
    computed = 1
    state = judge(run)
    if state == "over":  # cannot happen: MES spends at most the budget with the equal share
        raise AssertionError("MES overspent with the equal share")
    k = 0
    safe = _safe_jump(bound, step)
    jump = safe
    # tracking costs about half a run; skip it while it keeps proving nothing beyond one increment
    useless = 0
    while state == "go on":
        if computed >= 2 and k < worth * computed:
            return k, state, computed
        # invariant: every increment from k to k + safe - 1 gives the same run as k, and k did
        # not stop the search
        ahead = k + jump
        track = useless < 2 or computed % 8 == 0
        run, bound, ahead_trace = engine.run(
            engine.base_budget + ahead * step, track=track, reference=trace, give_up=jump > safe
        )
        computed += 1
        ahead_safe = _safe_jump(bound, step) if track else 1
        if track:
            useless = useless + 1 if ahead_safe == 1 else 0
        if ahead_trace.same_as_reference:
            # every increment from k to ahead selects what k selects
            k, trace, safe = ahead, ahead_trace, ahead_safe
            jump = max(2 * jump, safe)
            continue
        if jump > safe:
            jump = max(jump // 2, safe)
            continue
        # the first increment that may differ from k: judge it as pabutools does
        state = judge(run)
        if state == "over":
            return ahead - 1, state, computed
        k = ahead
        trace, safe = ahead_trace, ahead_safe
        jump = safe
    return k, state, computed


@dataclass(frozen=True)
class Add1Result:
    """Outcome of MES with budget increments: the run returned and how it was reached."""

    run: MesRun
    increments: int  # how many increments were added to the equal share B/n
    runs_computed: int
    exact_runs: int = 0  # increments the float filter could not settle (run exactly instead)


def _safe_jump(bound: _Bound, step: Fraction) -> int:
    """The first whole number of increments at which the run may differ (a very large number if never)."""
    jump = bound.next_step(step)
    return 1 << 62 if jump is None else jump


def mes(profile: Profile) -> MesRun:
    """Plain MES with each voter's budget the equal share B/n."""
    engine = MesEngine(profile)
    run, _, _ = engine.run(engine.base_budget, explain=True)
    return run


def mes_add1(profile: Profile, increment: Fraction | int = 1) -> Add1Result:
    """MES, raising every voter's budget by `increment` while the outcome stays within the budget.

    Same semantics as pabutools' `method_of_equal_shares(..., voter_budget_increment=increment)`:
    stop at the first outcome that is exhaustive (no further candidate fits), or return the
    previous outcome as soon as an outcome would cost more than the budget.

    Every increment is judged, as pabutools does, but its selection comes from the float filter
    (`pbengine.floatmes`), which proves each decision it takes and gives up when a decision is too
    close to call; then that increment is run exactly. The run returned (with its rounds and
    payments) is computed exactly once more at the end.
    """
    from pbengine.floatmes import FloatMes, FloatRun

    step = Fraction(increment)
    if step <= 0:
        raise ValueError("the budget increment must be positive")
    engine = MesEngine(profile)
    if profile.num_voters == 0:
        run, _, _ = engine.run(Fraction(0), explain=True)
        return Add1Result(run, 0, 1)
    # costs in integers over a common denominator, to judge each increment quickly and exactly
    scale = lcm(1, profile.budget.denominator, *(c.denominator for c in profile.costs))
    cost = [int(c * scale) for c in profile.costs]
    budget = int(profile.budget * scale)
    spent_on_free = sum(cost[p] for p in engine.free)
    candidates = engine.candidates
    index = {pid: p for p, pid in enumerate(profile.project_ids)}
    proven: dict[int, tuple[int, ...]] = {}  # selections the float filter settled, by increment

    def selection(k: int) -> tuple[tuple[int, ...], FloatRun | None]:
        found = fast.selection(engine.base_budget + k * step)
        if found is not None:
            proven[k] = found.chosen
            return found.chosen, found
        run, _, _ = engine.run(engine.base_budget + k * step)
        return tuple(index[pid] for pid in run.selected[len(engine.free) :]), None

    def judge(run: MesRun) -> str:
        return verdict(tuple(index[pid] for pid in run.selected[len(engine.free) :]))

    def verdict(bought: tuple[int, ...]) -> str:
        total = spent_on_free + sum(cost[p] for p in bought)
        if total > budget:
            return "over"
        chosen = set(bought)
        if all(p in chosen or total + cost[p] > budget for p in candidates):
            return "exhaustive"
        return "go on"

    k, state, computed = _exact_jumps(engine, profile, step, judge)
    final_k = k
    trace: FloatRun | None = None
    fast = FloatMes(engine)
    if state in ("go on", "not judged"):
        bought, trace = selection(k)
        computed += 1
        if state == "not judged":
            state = verdict(bought)
            if state == "over":  # cannot happen: MES spends at most the budget with the equal share
                raise AssertionError("MES overspent with the equal share")
    jump = 2
    pause = failures = 0
    while state == "go on":
        # invariant: k did not stop the search; `trace` is its float run (None if run exactly)
        if jump > 1 and trace is not None:
            ahead = fast.selection(engine.base_budget + (k + jump) * step, trace, give_up=True)
            computed += 1
            if ahead is not None and ahead.same_as_reference:
                proven[k + jump] = ahead.chosen
                # every increment from k to k + jump selects what k selects: none of them stops
                k, trace, jump, failures = k + jump, ahead, 2 * jump, 0
                continue
            if jump > 2:
                jump //= 2
                continue
            # the proof fails even for two increments: stop trying for a while
            failures += 1
            pause = min(2**failures, 64)
        bought, trace = selection(k + 1)
        computed += 1
        state = verdict(bought)
        if state == "over":
            final_k = k
            break
        final_k = k = k + 1
        if pause > 0:
            pause -= 1
            jump = 1
        else:
            jump = 2
    final, _, _ = engine.run(engine.base_budget + final_k * step, explain=True, sequence=proven.get(final_k))
    return Add1Result(final, final_k, computed + 1, fast.fallbacks)
