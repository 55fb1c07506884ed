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


def _square(A, D, alpha, beta, t):
    """Exact step of A' = -beta*D, D' = -alpha*A over time t (arrays)."""
    w = np.sqrt(alpha * beta)
    wt = w * t
    e = np.exp(wt)
    ie = 1.0 / e
    ch = 0.5 * (e + ie)
    with np.errstate(invalid="ignore", divide="ignore"):
        sc = 0.5 * (e - ie) / w
    if np.any(wt < 1e-4):  # series for tiny w*t, where (e - 1/e)/w loses digits
        sc = np.where(wt < 1e-4, t * (1 + wt * wt / 6 + wt ** 4 / 120), sc)
    return A * ch - beta * D * sc, D * ch - alpha * A * sc


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


def step_losses(law: str, A, D, p: dict, dt: float, scheme: str):
    """New (A, D) after one step of the front's loss law."""
    alpha, beta = p["attacker_coef"], p["defender_coef"] * p["defender_advantage"]
    if law == "fixed":
        ra, rd = p["attacker_rate"], p["defender_rate"]
        if scheme == "euler":
            return A * (1 - ra * dt), D * (1 - rd * dt)
        return A * np.exp(-ra * dt), D * np.exp(-rd * dt)
    if scheme == "euler":
        if law == "lanchester_square":
            return A - beta * D * dt, D - alpha * A * dt
        return A - beta * A * D * dt, D - alpha * A * D * dt
    if law == "lanchester_square":
        return _square(A, D, alpha, beta, dt)
    return _linear(A, D, alpha, beta, dt)


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
    V = lambda path: _as(vals[path], n)  # noqa: E731

    init = np.stack([V(f"fronts.{fr}.initial.{s}") for s, fr in units])
    terr = np.stack([V(f"fronts.{fr}.territory.initial_km2")
                     * (1 - V(f"fronts.{fr}.territory.already_lost_fraction"))
                     if sc.fronts[fr].territory else np.zeros(n) for fr in fronts])
    st = State(strength=init.copy(), initial=init, inflow=np.zeros_like(init),
               losses=np.zeros_like(init), transfer_net=np.zeros_like(init), territory=terr,
               delivered=np.zeros((len(sc.supply_lines), n)),
               event_day=np.full((len(sc.events), n), np.inf))

    # recruitment per day into each unit (shares normalised per draw)
    recruit = np.zeros_like(init)
    for side, r in sc.recruitment.items():
        per_day = V(f"recruitment.{side}.target_per_month") * V(
            f"recruitment.{side}.fill_ratio") / DAYS_PER_MONTH
        shares = {fr: V(f"recruitment.{side}.allocation.{fr}") for fr in r.allocation}
        total = sum(shares.values())
        for fr, sh in shares.items():
            recruit[uix[(side, fr)]] += per_day * np.divide(sh, total, out=np.zeros(n),
                                                            where=total > 0)
    lines = [(uix[(l.side, l.front)], V(f"supply_lines.{k}.rate_per_month") / DAYS_PER_MONTH,
              V(f"supply_lines.{k}.start_day"),
              V(f"supply_lines.{k}.cap") if l.cap is not None else np.full(n, np.inf))
             for k, l in sc.supply_lines.items()]
    one_offs = [(uix[(d.side, d.front)], None, V(f"deployments.{k}.day"),
                 V(f"deployments.{k}.amount")) for k, d in sc.deployments.items()]
    one_offs += [(uix[(t.side, t.to_front)], uix[(t.side, t.from_front)],
                  V(f"transfers.{k}.day"), V(f"transfers.{k}.amount"))
                 for k, t in sc.transfers.items()]
    fparams = []
    for fi, fr in enumerate(fronts):
        f = sc.fronts[fr]
        p = {k: V(f"fronts.{fr}.attrition.{k}") for k in (
            "attacker_coef", "defender_coef", "defender_advantage", "attacker_rate",
            "defender_rate", "start_day")}
        p["start_min"], p["start_max"] = p["start_day"].min(), p["start_day"].max()
        t = None
        if f.territory:
            t = (V(f"fronts.{fr}.territory.k"), V(f"fronts.{fr}.territory.threshold"))
        fparams.append((fi, f.attrition.law, uix[(f.attacker, fr)], uix[(f.defender, fr)], p, t))
    events = [(ei, e, fronts.index(e.front), uix.get((e.side, e.front)))
              for ei, e in enumerate(sc.events.values())]

    if observe:
        observe(0, 0.0, st)
    S = st.strength
    for k in range(steps):
        day0 = k * dt
        start = S.copy() if scheme == "euler" else None
        # one-off deployments and transfers falling in [day0, day0 + dt)
        for dst, src, day, amount in one_offs:
            hit = (day >= day0) & (day < day0 + dt)
            if not hit.any():
                continue
            if src is None:
                add = np.where(hit, amount, 0.0)
                S[dst] += add
                st.inflow[dst] += add
            else:
                move = np.where(hit, np.minimum(amount, S[src]), 0.0)
                S[src] -= move
                S[dst] += move
                st.transfer_net[src] -= move
                st.transfer_net[dst] += move
        # continuous inflows over the step
        inflow = recruit * dt
        for li, (ui, rate, sday, cap) in enumerate(lines):
            amt = np.where(day0 >= sday, np.minimum(rate * dt, cap - st.delivered[li]), 0.0)
            amt = np.maximum(amt, 0.0)
            st.delivered[li] += amt
            inflow[ui] = inflow[ui] + amt
        if scheme == "euler":
            base = start
        else:
            S += inflow
            st.inflow += inflow
            base = S
        # losses and territory, front by front
        for fi, law, ai, di, p, terr_p in fparams:
            A, D = base[ai], base[di]
            if day0 < p["start_min"]:
                continue
            everywhere = day0 >= p["start_max"]
            active = True if everywhere else day0 >= p["start_day"]
            if terr_p is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = np.minimum(A / D, MAX_RATIO)
                ratio[D <= 0] = MAX_RATIO
                rate = terr_p[0] * np.maximum(0.0, ratio - terr_p[1])
                left = np.maximum(0.0, st.territory[fi] - rate * dt)
                st.territory[fi] = left if everywhere else np.where(active, left,
                                                                    st.territory[fi])
            newA, newD = step_losses(law, A, D, p, dt, scheme)
            lossA, lossD = A - newA, D - newD
            if not everywhere:
                lossA = np.where(active, lossA, 0.0)
                lossD = np.where(active, lossD, 0.0)
            if scheme == "euler":
                lossA = np.clip(lossA, 0.0, S[ai] + inflow[ai])
                lossD = np.clip(lossD, 0.0, S[di] + inflow[di])
            else:
                lossA = np.clip(lossA, 0.0, S[ai])
                lossD = np.clip(lossD, 0.0, S[di])
            st.losses[ai] += lossA
            st.losses[di] += lossD
            if scheme == "euler":
                S[ai] += inflow[ai] - lossA
                S[di] += inflow[di] - lossD
                st.inflow[ai] += inflow[ai]
                st.inflow[di] += inflow[di]
                inflow[ai] = 0.0
                inflow[di] = 0.0
            else:
                S[ai] -= lossA
                S[di] -= lossD
        if scheme == "euler":  # inflows to units whose front saw no combat this step
            S += inflow
            st.inflow += inflow
        day1 = day0 + dt
        for ei, e, fi, ui in events:
            cond = (st.territory[fi] <= e.threshold if e.kind == "territory_zero"
                    else S[ui] < e.threshold)
            st.event_day[ei] = np.where(cond & np.isinf(st.event_day[ei]), day1,
                                        st.event_day[ei])
        if observe and ((k + 1) % every == 0 or k + 1 == steps):
            observe(k + 1, day1, st)
    return st
