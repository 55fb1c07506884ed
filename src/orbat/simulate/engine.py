"""The force model, vectorised over draws: one NumPy array of shape (draws,) per state.

Each step: one-off deployments and transfers, recruitment and allied supply (inflows), then
losses by the front's attrition law, then territory. ``exact`` integration adds the step's
inflows first and then integrates the loss ODE exactly over the step (cosh/sinh for Lanchester's
square law, the logistic solution for the linear law, exponential decay for fixed rates), so
the square-law invariant a*A^2 - b*B^2 holds to rounding; ``euler`` evaluates inflows and losses
at the start of the step (the scheme Vensim/PySD use). A side that would fall below zero is
clipped at zero. Losses are booked as the drop in strength, so in every draw
strength = initial + inflows - losses - transfers out + transfers in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .params import Plan

DAYS_PER_MONTH = 365.25 / 12
MAX_RATIO = 1e9


@dataclass
class State:
    """Arrays (units, n) for strength and ledgers, (fronts, n) for territory."""

    strength: np.ndarray
    initial: np.ndarray
    inflow: np.ndarray
    losses: np.ndarray
    transfer_net: np.ndarray
    territory: np.ndarray
    delivered: np.ndarray  # (supply lines, n)
    event_day: np.ndarray  # (events, n), inf until the event happens


def units_of(plan: Plan) -> list[tuple[str, str]]:
    """(side, front) pairs in a fixed order: attacker then defender of each front."""
    return [(s, name) for name, f in plan.scenario.fronts.items() for s in (f.attacker, f.defender)]


def _as(v, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v, dtype=float), (n,))


def _days(v):
    """A day input with its range, so _when can skip the mask when all draws agree."""
    return (v, v, v) if np.ndim(v) == 0 else (v, float(v.min()), float(v.max()))


def _when(day, lo: float, hi: float):
    """Whether ``lo <= day < hi``: True/False when it holds for all/no draws, else a mask."""
    day, first, last = day
    if lo <= first and last < hi:
        return True
    if last < lo or first >= hi:
        return False
    mask = (day >= lo) & (day < hi)
    return True if mask.all() else False if not mask.any() else mask


def _masked(on, x: np.ndarray) -> np.ndarray:
    """``x`` where ``on`` (True, or a mask), zero elsewhere."""
    return x if on is True else np.where(on, x, 0.0)


def _square_factors(alpha, beta, t):
    """(cosh(wt) - 1, sinh(wt)/w) with w = sqrt(alpha*beta): the exact square-law step over t.

    A' = -beta*D, D' = -alpha*A is linear with constant coefficients, so one step loses
    beta*D*sc - A*(ch - 1) and alpha*A*sc - D*(ch - 1); the factors are computed once per run.
    """
    w = np.sqrt(alpha * beta)
    wt = w * t
    e = np.exp(wt)
    chm1 = 0.5 * (np.expm1(wt) + np.expm1(-wt))
    with np.errstate(invalid="ignore", divide="ignore"):
        sc = 0.5 * (e - 1.0 / e) / w
    small = wt < 1e-4  # series where (e - 1/e)/w loses digits (or w is zero)
    sc = np.where(small, t * (1 + wt * wt / 6 + wt ** 4 / 120), sc)
    return chm1, sc


def _linear(A, D, alpha, beta, t):
    """Exact step of A' = -beta*A*D, D' = -alpha*A*D over time t (logistic solution)."""
    c = alpha * A - beta * D
    ct = np.clip(c * t, -700, 700)
    small = np.abs(ct) < 1e-9
    with np.errstate(invalid="ignore", divide="ignore"):
        cs = np.where(small, 1.0, c)
        g = np.where(small, t * (1 - ct / 2), -np.expm1(-ct) / cs)
        h = np.where(small, t * (1 + ct / 2), np.expm1(ct) / cs)
    return A / (1 + beta * D * g), D / (1 + alpha * A * h)


def loss_stepper(law: str, p: dict, dt: float, scheme: str):
    """A function (A, D) -> (attacker losses, defender losses) over one step of the law.

    Factors that do not change over time (exact square-law and decay factors) are computed here.
    """
    alpha, beta = p["attacker_coef"], p["defender_coef"] * p["defender_advantage"]
    if law == "fixed":
        ra, rd = p["attacker_rate"], p["defender_rate"]
        fa, fd = (ra * dt, rd * dt) if scheme == "euler" else (
            -np.expm1(-ra * dt), -np.expm1(-rd * dt))
        return lambda A, D: (A * fa, D * fd)
    if scheme == "euler":
        bdt, adt = beta * dt, alpha * dt
        if law == "lanchester_square":
            return lambda A, D: (bdt * D, adt * A)
        return lambda A, D: (bdt * A * D, adt * A * D)
    if law == "lanchester_square":
        chm1, sc = _square_factors(alpha, beta, dt)
        bsc, asc = beta * sc, alpha * sc
        return lambda A, D: (bsc * D - chm1 * A, asc * A - chm1 * D)

    def linear(A, D):
        newA, newD = _linear(A, D, alpha, beta, dt)
        return A - newA, D - newD
    return linear


Observer = Callable[[int, float, State], None]


def simulate(plan: Plan, vals: dict, n: int, observe: Observer | None = None,
             every: int = 1) -> State:
    """Run the model for ``n`` draws with input values ``vals`` (path -> scalar or (n,) array).

    ``observe(k, day, state)`` is called at day 0 and after every ``every`` steps (and at the end).
    """
    sc = plan.scenario
    dt, scheme = sc.step_days, sc.integration
    steps = int(round(sc.horizon_days / dt))
    units = units_of(plan)
    uix = {u: i for i, u in enumerate(units)}
    fronts = list(sc.fronts)

    def V(path: str):
        """A scenario number: a float if constant, else an array over draws."""
        v = vals[path]
        return float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float)

    init = np.stack([_as(V(f"fronts.{fr}.initial.{s}"), n) for s, fr in units])
    terr = np.stack([_as(V(f"fronts.{fr}.territory.initial_km2")
                         * (1 - V(f"fronts.{fr}.territory.already_lost_fraction")), n)
                     if sc.fronts[fr].territory else np.zeros(n) for fr in fronts])
    st = State(strength=init.copy(), initial=init, inflow=np.zeros_like(init),
               losses=np.zeros_like(init), transfer_net=np.zeros_like(init), territory=terr,
               delivered=np.zeros((len(sc.supply_lines), n)),
               event_day=np.full((len(sc.events), n), np.inf))

    # recruitment per step into each unit (shares normalised per draw)
    recruit = np.zeros_like(init)
    for side, r in sc.recruitment.items():
        per_day = V(f"recruitment.{side}.target_per_month") * V(
            f"recruitment.{side}.fill_ratio") / DAYS_PER_MONTH
        shares = {fr: _as(V(f"recruitment.{side}.allocation.{fr}"), n) for fr in r.allocation}
        total = sum(shares.values())
        for fr, sh in shares.items():
            recruit[uix[(side, fr)]] += per_day * np.divide(sh, total, out=np.zeros(n),
                                                            where=total > 0)
    recruit *= dt
    lines = [(uix[(l.side, l.front)], V(f"supply_lines.{k}.rate_per_month") * dt
              / DAYS_PER_MONTH, _days(V(f"supply_lines.{k}.start_day")),
              V(f"supply_lines.{k}.cap") if l.cap is not None else np.inf)
             for k, l in sc.supply_lines.items()]
    one_offs = [(uix[(d.side, d.front)], None, _days(V(f"deployments.{k}.day")),
                 V(f"deployments.{k}.amount")) for k, d in sc.deployments.items()]
    one_offs += [(uix[(t.side, t.to_front)], uix[(t.side, t.from_front)],
                  _days(V(f"transfers.{k}.day")), V(f"transfers.{k}.amount"))
                 for k, t in sc.transfers.items()]
    fparams = []
    for fi, fr in enumerate(fronts):
        f = sc.fronts[fr]
        p = {k: V(f"fronts.{fr}.attrition.{k}") for k in (
            "attacker_coef", "defender_coef", "defender_advantage", "attacker_rate",
            "defender_rate", "start_day")}
        t = None
        if f.territory:
            t = (V(f"fronts.{fr}.territory.k") * dt, V(f"fronts.{fr}.territory.threshold"))
        fparams.append((fi, loss_stepper(f.attrition.law, p, dt, scheme), uix[(f.attacker, fr)],
                        uix[(f.defender, fr)], _days(p["start_day"]), t))
    events = [(ei, e, fronts.index(e.front), uix.get((e.side, e.front)))
              for ei, e in enumerate(sc.events.values())]

    if observe:
        observe(0, 0.0, st)
    S = st.strength
    start = np.empty_like(S) if scheme == "euler" else None  # buffers reused every step
    inflow = np.empty_like(S)
    for k in range(steps):
        day0, day1 = k * dt, (k + 1) * dt
        if start is not None:
            np.copyto(start, S)
        # one-off deployments and transfers falling in [day0, day0 + dt)
        for dst, src, day, amount in one_offs:
            hit = _when(day, day0, day1)
            if hit is False:
                continue
            if src is None:
                add = _masked(hit, _as(amount, n))
                S[dst] += add
                st.inflow[dst] += add
            else:
                move = _masked(hit, np.minimum(amount, S[src]))
                S[src] -= move
                S[dst] += move
                st.transfer_net[src] -= move
                st.transfer_net[dst] += move
        # continuous inflows over the step
        np.copyto(inflow, recruit)
        for li, (ui, rate, sday, cap) in enumerate(lines):
            on = _when(sday, -np.inf, day1)
            if on is False:
                continue
            amt = np.minimum(rate, cap - st.delivered[li])
            np.maximum(amt, 0.0, out=amt)
            amt = _masked(on, amt)
            st.delivered[li] += amt
            inflow[ui] += amt
        if scheme == "euler":
            base = start
        else:
            S += inflow
            st.inflow += inflow
            base = S
        # losses and territory, front by front
        for fi, stepper, ai, di, sday, terr_p in fparams:
            on = _when(sday, -np.inf, day1)
            if on is False:
                continue
            A, D = base[ai], base[di]
            if terr_p is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.fmin(A / D, MAX_RATIO)  # D = 0 -> inf or nan -> MAX_RATIO
                ratio -= terr_p[1]
                np.fmax(ratio, 0.0, out=ratio)
                left = st.territory[fi] - terr_p[0] * ratio
                np.maximum(left, 0.0, out=left)
                st.territory[fi] = left if on is True else np.where(on, left, st.territory[fi])
            lossA, lossD = stepper(A, D)
            if on is not True:
                lossA, lossD = _masked(on, lossA), _masked(on, lossD)
            capA, capD = (S[ai] + inflow[ai], S[di] + inflow[di]) if scheme == "euler" else (
                S[ai], S[di])
            for loss, cap in ((lossA, capA), (lossD, capD)):
                np.maximum(loss, 0.0, out=loss)
                np.minimum(loss, cap, out=loss)
            st.losses[ai] += lossA
            st.losses[di] += lossD
            S[ai] -= lossA
            S[di] -= lossD
        if scheme == "euler":  # start-of-step rates: inflows join after losses are booked
            S += inflow
            st.inflow += inflow
        for ei, e, fi, ui in events:
            cond = (st.territory[fi] <= e.threshold if e.kind == "territory_zero"
                    else S[ui] < e.threshold)
            np.putmask(st.event_day[ei], cond & np.isinf(st.event_day[ei]), day1)
        if observe and ((k + 1) % every == 0 or k + 1 == steps):
            observe(k + 1, day1, st)
    return st
