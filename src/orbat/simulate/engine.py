"""The force model, vectorised over draws and compiled: arrays of shape (units, draws) per state.

Each step: one-off deployments and transfers, recruitment and allied supply (inflows), then
losses by the front's attrition law, then territory. ``exact`` integration adds the step's
inflows first and then integrates the loss ODE exactly over the step (cosh/sinh for Lanchester's
square law, the logistic solution for the linear law, exponential decay for fixed rates), so
the square-law invariant a*A^2 - b*B^2 holds to rounding; ``euler`` evaluates inflows and losses
at the start of the step (the scheme Vensim/PySD use) and lands one-offs at the step's end. A
side that would fall below zero is clipped at zero. Losses are booked as the drop in strength,
so in every draw strength = initial + inflows - losses - transfers out + transfers in.

Setup (inputs to per-draw arrays, factors that do not change over time) is NumPy. The step loop
is one Numba-compiled kernel per scheme (``_kernel``): it takes blocks of draws through the
steps with a few vectorised passes per front, where NumPy needed a dozen passes over all draws
per step. It is compiled on first use, cached on disk, and releases the GIL, so Dask's threaded
scheduler runs chunks in parallel.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numba
import numpy as np

from .params import Plan

DAYS_PER_MONTH = 365.25 / 12
MAX_RATIO = 1e9
FIXED, SQUARE_EULER, SQUARE_EXACT, LINEAR_EULER, LINEAR_EXACT = range(5)
TERRITORY_ZERO, STRENGTH_BELOW = range(2)


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


def loss_coefficients(law: str, p: dict, dt: float, scheme: str):
    """(law code, c1, c2, c3): the per-draw factors the kernel applies to (A, D) each step.

    fixed: (A*c1, D*c2); square, Euler: (c1*D, c2*A); square, exact: (c1*D - c3*A,
    c2*A - c3*D); linear, Euler: (c1*A*D, c2*A*D); linear, exact: c1 = beta, c2 = alpha for the
    logistic solution computed each step.
    """
    alpha, beta = p["attacker_coef"], p["defender_coef"] * p["defender_advantage"]
    if law == "fixed":
        ra, rd = p["attacker_rate"], p["defender_rate"]
        if scheme == "euler":
            return FIXED, ra * dt, rd * dt, 0.0
        return FIXED, -np.expm1(-ra * dt), -np.expm1(-rd * dt), 0.0
    if law == "lanchester_square":
        if scheme == "euler":
            return SQUARE_EULER, beta * dt, alpha * dt, 0.0
        chm1, sc = _square_factors(alpha, beta, dt)
        return SQUARE_EXACT, beta * sc, alpha * sc, chm1
    if scheme == "euler":
        return LINEAR_EULER, beta * dt, alpha * dt, 0.0
    return LINEAR_EXACT, beta, alpha, 0.0


CACHE_BLOCK = 4096  # draws taken through the steps together, so their state stays in cache


def _kernel(euler: bool):
    """The step kernel for one integration scheme (``euler`` is a compile-time constant, so the
    scheme costs no test inside the loops); compiled on first use and cached on disk."""

    @numba.njit(cache=True, nogil=True)
    def advance(k0, k1, dt, S, inflow_total, losses, transfer_net, territory, delivered,
                event_day, recruit, lines_i, lines_x, offs_i, offs_x, fronts_i, fronts_x,
                events_i, events_x, flow, loss, block):
        """Run steps k0..k1-1 in place, ``block`` draws at a time; index arrays hold unit and
        front numbers.

        lines_x (L, 3, n): rate per step, start day, cap. offs_i (O, 2): destination unit and
        source unit (-1 for a deployment); offs_x (O, 2, n): day, amount. fronts_i (F, 4): law
        code, attacker unit, defender unit, has territory; fronts_x (F, 6, n): start day, c1, c2,
        c3, territory k*dt, territory threshold. events_i (E, 3): kind, front, unit; events_x
        (E,). ``flow`` (units, block) and ``loss`` (2, block) are scratch. Each inner loop runs
        over one row of a block with selects rather than branches and touches few arrays, so
        the compiler vectorises it. Every unit belongs to one front, so its inflow is booked
        with its losses.
        """
        units, n = S.shape
        e = 0.0 if euler else 1.0  # exact: losses act on the strength after this step's inflow
        lines = lines_i.shape[0] > 0
        latest = np.empty(fronts_i.shape[0])  # the block's last start day on each front
        for lo in range(0, n, block):
            hi = min(n, lo + block)
            m = hi - lo
            for f in range(fronts_i.shape[0]):
                latest[f] = fronts_x[f, 0, lo:hi].max()
            for k in range(k0, k1):
                day0, day1 = k * dt, (k + 1) * dt
                if not euler:
                    _one_offs(lo, hi, day0, day1, S, inflow_total, transfer_net, offs_i, offs_x)
                if lines:
                    for u in range(units):
                        flow[u, :m] = recruit[u, lo:hi]
                    for li in range(lines_i.shape[0]):
                        u = lines_i[li, 0]
                        rate, begin = lines_x[li, 0, lo:hi], lines_x[li, 1, lo:hi]
                        cap, got = lines_x[li, 2, lo:hi], delivered[li, lo:hi]
                        into, total = flow[u, :m], inflow_total[u, lo:hi]
                        for i in range(m):
                            amount = min(rate[i], cap[i] - got[i]) if begin[i] < day1 else 0.0
                            amount = max(amount, 0.0)
                            got[i] += amount
                            into[i] += amount
                            total[i] += amount
                for f in range(fronts_i.shape[0]):
                    law, a, d = fronts_i[f, 0], fronts_i[f, 1], fronts_i[f, 2]
                    Sa, Sd = S[a, lo:hi], S[d, lo:hi]
                    Fa = flow[a, :m] if lines else recruit[a, lo:hi]
                    Fd = flow[d, :m] if lines else recruit[d, lo:hi]
                    begin, c1, c2, c3 = (fronts_x[f, 0, lo:hi], fronts_x[f, 1, lo:hi],
                                         fronts_x[f, 2, lo:hi], fronts_x[f, 3, lo:hi])
                    la, ld = loss[0, :m], loss[1, :m]
                    if fronts_i[f, 3]:  # territory, from the force ratio the losses act on
                        held = territory[f, lo:hi]
                        kdt, thr = fronts_x[f, 4, lo:hi], fronts_x[f, 5, lo:hi]
                        for i in range(m):
                            A, D = Sa[i] + e * Fa[i], Sd[i] + e * Fd[i]
                            ratio = min(A / D, MAX_RATIO) if D > 0.0 else MAX_RATIO
                            left = max(held[i] - kdt[i] * max(ratio - thr[i], 0.0), 0.0)
                            held[i] = left if begin[i] < day1 else held[i]
                    gated = latest[f] >= day1
                    if law == FIXED:  # each side loses a share of its own strength: one pass each
                        _book_own(euler, gated, begin, day1, c1, Fa, Sa, losses[a, lo:hi])
                        _book_own(euler, gated, begin, day1, c2, Fd, Sd, losses[d, lo:hi])
                        continue
                    if law == SQUARE_EULER:
                        for i in range(m):
                            la[i] = c1[i] * Sd[i]
                            ld[i] = c2[i] * Sa[i]
                    elif law == SQUARE_EXACT:
                        for i in range(m):
                            A, D = Sa[i] + Fa[i], Sd[i] + Fd[i]
                            la[i] = c1[i] * D - c3[i] * A
                            ld[i] = c2[i] * A - c3[i] * D
                    elif law == LINEAR_EULER:
                        for i in range(m):
                            la[i] = c1[i] * Sa[i] * Sd[i]
                            ld[i] = c2[i] * Sa[i] * Sd[i]
                    else:  # LINEAR_EXACT: logistic solution of A' = -beta*A*D, D' = -alpha*A*D
                        for i in range(m):
                            A, D, beta, alpha = Sa[i] + Fa[i], Sd[i] + Fd[i], c1[i], c2[i]
                            c = alpha * A - beta * D
                            ct = min(max(c * dt, -700.0), 700.0)
                            if abs(ct) < 1e-9:
                                g, h = dt * (1 - ct / 2), dt * (1 + ct / 2)
                            else:
                                g, h = -math.expm1(-ct) / c, math.expm1(ct) / c
                            la[i] = A - A / (1 + beta * D * g)
                            ld[i] = D - D / (1 + alpha * A * h)
                    _book(euler, gated, begin, day1, la, Fa, Sa, losses[a, lo:hi])
                    _book(euler, gated, begin, day1, ld, Fd, Sd, losses[d, lo:hi])
                if euler:
                    _one_offs(lo, hi, day0, day1, S, inflow_total, transfer_net, offs_i, offs_x)
                for ev in range(events_i.shape[0]):
                    kind, f, u = events_i[ev, 0], events_i[ev, 1], events_i[ev, 2]
                    threshold, when = events_x[ev], event_day[ev, lo:hi]
                    watched = territory[f, lo:hi] if kind == TERRITORY_ZERO else S[u, lo:hi]
                    strict = kind == STRENGTH_BELOW
                    for i in range(m):
                        hit = watched[i] < threshold or (not strict and watched[i] == threshold)
                        when[i] = day1 if hit and when[i] == np.inf else when[i]
        for u in range(units):  # recruitment is the same every step: book it once per call
            total, r = inflow_total[u], recruit[u]
            for i in range(n):
                total[i] += r[i] * (k1 - k0)

    return advance


_KERNELS = {euler: _kernel(euler) for euler in (False, True)}


@numba.njit(inline="always")
def _settle(s, flow_in, loss, euler):
    """One side's (loss, strength) over a step: the loss clipped to [0, strength + inflow], and
    the inflow added after the loss for Euler (start-of-step rates), before it for exact."""
    lost = min(max(loss, 0.0), s + flow_in)
    return lost, ((s - lost) + flow_in if euler else (s + flow_in) - lost)


@numba.njit(inline="always")
def _book(euler, gated, begin, day1, loss, flow, S, losses):
    """Book one side's step losses ``loss`` and inflow ``flow``. ``gated``: some draws' fronts
    have not started yet, so each draw's start day is checked (a separate loop, as the check
    would otherwise slow every step)."""
    if gated:
        for i in range(S.shape[0]):
            lost, S[i] = _settle(S[i], flow[i], loss[i] if begin[i] < day1 else 0.0, euler)
            losses[i] += lost
    else:
        for i in range(S.shape[0]):
            lost, S[i] = _settle(S[i], flow[i], loss[i], euler)
            losses[i] += lost


@numba.njit(inline="always")
def _book_own(euler, gated, begin, day1, rate, flow, S, losses):
    """``_book`` for losses that are ``rate`` times the strength they act on (the fixed law)."""
    e = 0.0 if euler else 1.0
    if gated:
        for i in range(S.shape[0]):
            s, flow_in = S[i], flow[i]
            loss = (s + e * flow_in) * rate[i] if begin[i] < day1 else 0.0
            lost, S[i] = _settle(s, flow_in, loss, euler)
            losses[i] += lost
    else:
        for i in range(S.shape[0]):
            s, flow_in = S[i], flow[i]
            lost, S[i] = _settle(s, flow_in, (s + e * flow_in) * rate[i], euler)
            losses[i] += lost


@numba.njit(inline="always")
def _one_offs(lo, hi, day0, day1, S, inflow_total, transfer_net, offs_i, offs_x):
    """Deployments add ``amount``; transfers move up to ``amount``, all on days in [day0, day1)."""
    for o in range(offs_i.shape[0]):
        dst, src = offs_i[o, 0], offs_i[o, 1]
        for i in range(lo, hi):
            day, amount = offs_x[o, 0, i], offs_x[o, 1, i]
            if day0 <= day and day < day1:
                if src < 0:
                    S[dst, i] += amount
                    inflow_total[dst, i] += amount
                else:
                    move = min(amount, S[src, i])
                    S[src, i] -= move
                    S[dst, i] += move
                    transfer_net[src, i] -= move
                    transfer_net[dst, i] += move


Observer = Callable[[int, float, State], None]


def simulate(plan: Plan, vals: dict, n: int, observe: Observer | None = None,
             every: int = 1) -> State:
    """Run the model for ``n`` draws with input values ``vals`` (path -> scalar or (n,) array).

    ``observe(k, day, state)`` is called at day 0 and after every ``every`` steps (and at the end).
    """
    sc = plan.scenario
    dt, scheme, steps = sc.step_days, sc.integration, sc.steps
    units = units_of(plan)
    uix = {u: i for i, u in enumerate(units)}
    fronts = list(sc.fronts)

    def V(path: str):
        """A scenario number: a float if constant, else an array over draws."""
        v = vals[path]
        return float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float)

    def draws(*columns) -> np.ndarray:
        """Per-draw values stacked into a C-contiguous (len(columns), n) array."""
        return np.stack([np.broadcast_to(np.asarray(c, dtype=float), (n,)) for c in columns])

    init = draws(*[V(f"fronts.{fr}.initial.{s}") for s, fr in units])
    terr = draws(*[V(f"fronts.{fr}.territory.initial_km2")
                   * (1 - V(f"fronts.{fr}.territory.already_lost_fraction"))
                   if sc.fronts[fr].territory else 0.0 for fr in fronts])
    st = State(strength=init.copy(), initial=init, inflow=np.zeros_like(init),
               losses=np.zeros_like(init), transfer_net=np.zeros_like(init), territory=terr,
               delivered=np.zeros((len(sc.supply_lines), n)),
               event_day=np.full((len(sc.events), n), np.inf))

    # recruitment per step into each unit (shares normalised per draw)
    recruit = np.zeros_like(init)
    for side, r in sc.recruitment.items():
        per_day = V(f"recruitment.{side}.target_per_month") * V(
            f"recruitment.{side}.fill_ratio") / DAYS_PER_MONTH
        shares = {fr: draws(V(f"recruitment.{side}.allocation.{fr}"))[0] for fr in r.allocation}
        total = sum(shares.values())
        for fr, sh in shares.items():
            recruit[uix[(side, fr)]] += per_day * np.divide(sh, total, out=np.zeros(n),
                                                            where=total > 0)
    recruit *= dt

    lines = list(sc.supply_lines.items())
    lines_i = np.array([[uix[(l.side, l.front)]] for _, l in lines], dtype=np.int64).reshape(-1, 1)
    lines_x = np.array([draws(V(f"supply_lines.{k}.rate_per_month") * dt / DAYS_PER_MONTH,
                              V(f"supply_lines.{k}.start_day"),
                              V(f"supply_lines.{k}.cap") if l.cap is not None else np.inf)
                        for k, l in lines]).reshape(len(lines), 3, n)
    offs = [((uix[(d.side, d.front)], -1), f"deployments.{k}") for k, d in sc.deployments.items()]
    offs += [((uix[(t.side, t.to_front)], uix[(t.side, t.from_front)]), f"transfers.{k}")
             for k, t in sc.transfers.items()]
    offs_i = np.array([ix for ix, _ in offs], dtype=np.int64).reshape(-1, 2)
    offs_x = np.array([draws(V(f"{p}.day"), V(f"{p}.amount")) for _, p in offs]).reshape(
        len(offs), 2, n)

    fronts_i = np.zeros((len(fronts), 4), dtype=np.int64)
    fronts_x = np.zeros((len(fronts), 6, n))
    for fi, fr in enumerate(fronts):
        f = sc.fronts[fr]
        p = {k: V(f"fronts.{fr}.attrition.{k}") for k in (
            "attacker_coef", "defender_coef", "defender_advantage", "attacker_rate",
            "defender_rate", "start_day")}
        law, c1, c2, c3 = loss_coefficients(f.attrition.law, p, dt, scheme)
        territory = (V(f"fronts.{fr}.territory.k") * dt, V(f"fronts.{fr}.territory.threshold")) \
            if f.territory else (0.0, 0.0)
        fronts_i[fi] = (law, uix[(f.attacker, fr)], uix[(f.defender, fr)], bool(f.territory))
        fronts_x[fi] = draws(p["start_day"], c1, c2, c3, *territory)

    evs = list(sc.events.values())
    events_i = np.array([(TERRITORY_ZERO if e.kind == "territory_zero" else STRENGTH_BELOW,
                          fronts.index(e.front), uix.get((e.side, e.front), -1)) for e in evs],
                        dtype=np.int64).reshape(-1, 3)
    events_x = np.array([e.threshold for e in evs], dtype=float)

    advance = _KERNELS[scheme == "euler"]
    flow, loss = np.empty((len(units), CACHE_BLOCK)), np.empty((2, CACHE_BLOCK))
    if observe:
        observe(0, 0.0, st)
    k = 0
    while k < steps:
        k1 = min(steps, (k // every + 1) * every) if observe else steps
        advance(k, k1, float(dt), st.strength, st.inflow, st.losses, st.transfer_net,
                 st.territory, st.delivered, st.event_day, recruit, lines_i, lines_x, offs_i,
                 offs_x, fronts_i, fronts_x, events_i, events_x, flow, loss, CACHE_BLOCK)
        k = k1
        if observe:
            observe(k, k * dt, st)
    return st
