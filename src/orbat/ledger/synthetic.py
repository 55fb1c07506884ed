"""Deterministic synthetic reports for load tests and benchmarks (never used as evidence).

Varied short reports with numbers, units, places and named sources, so extraction has real
work to do; the same ``seed`` always gives the same reports.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from orbat.types import Document

_SOURCES = ["U.S. officials", "Ukraine's General Staff", "the Russian Defense Ministry",
            "analysts at the Institute for the Study of War", "South Korean intelligence",
            "a NATO spokesperson", "Reuters", "UN monitors", "regional governor Oleh Syniehubov",
            "British military intelligence", "a senior Pentagon official", "local authorities"]
_VERBS = ["said", "reported", "estimated", "told reporters", "claimed", "wrote on Telegram"]
_ACTORS = ["Russian", "Ukrainian", "North Korean", "Belarusian"]
_PLACES = ["Kursk", "Pokrovsk", "Kharkiv", "Zaporizhzhia", "Donetsk", "Kupiansk", "Bakhmut",
           "Sudzha", "Kherson", "Belgorod"]
_HEDGES = ["about", "around", "more than", "nearly", "at least", "up to", "fewer than", ""]
_OUTLETS = ["Daily Ledger", "Frontline Wire", "Eastern Courier", "Morning Dispatch"]


def _number(rng: random.Random) -> str:
    n = rng.choice([rng.randint(2, 99) * 10, rng.randint(1, 90) * 1000, rng.randint(100, 999)])
    return f"{n:,}"


def _sentence(rng: random.Random) -> str:
    hedge = rng.choice(_HEDGES)
    amount = (hedge + " " if hedge else "") + _number(rng)
    actor, place = rng.choice(_ACTORS), rng.choice(_PLACES)
    source, verb = rng.choice(_SOURCES), rng.choice(_VERBS)
    pattern = rng.randrange(6)
    if pattern == 0:
        return f"{source[0].upper() + source[1:]} {verb} that {amount} {actor} troops were deployed near {place}."
    if pattern == 1:
        return f"{actor} forces lost {amount} soldiers around {place} last month, {source} {verb}."
    if pattern == 2:
        return f"According to {source}, {actor} units recruit {amount} men per month for the {place} front."
    if pattern == 3:
        return f"{actor} troops retook {amount} square kilometers near {place}, {source} {verb}."
    if pattern == 4:
        return f"The fighting near {place} has left {amount} {actor} servicemen wounded, {source} {verb}."
    return f"{source[0].upper() + source[1:]} {verb} {amount} {actor} fighters were captured in {place}."


def reports(n: int, seed: int = 0, start: date = date(2024, 8, 1)) -> Iterator[Document]:
    """``n`` short reports of two to four sentences; report ``i`` is the same for a given seed."""
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        text = f"Report {i}. {body}\n"
        yield Document(id=f"synthetic-{seed}-{i:06d}", text=text, outlet=rng.choice(_OUTLETS),
                       published=start + timedelta(days=rng.randrange(120)),
                       title=f"Front update {i}")
