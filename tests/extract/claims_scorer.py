# Vendored copy of ../shared/eval/score.py (claims format v1 scorer), so the test suite
# scores our own gold corpus on machines without ../shared. Keep in sync with the original.
#!/usr/bin/env python3
"""Score extracted claims (claims JSONL, see README.md here) against hand-made gold files.

usage: score.py --docs DIR --gold DIR [--json] [--min KEY=VALUE ...] [--max KEY=VALUE ...] CLAIMS.jsonl|-

DIR holds DOC.txt files; gold DIR holds DOC.quantities.jsonl, DOC.statements.jsonl and
DOC.negatives.jsonl.  Only documents that have gold files are scored; claims about other
documents are ignored.  Standard library only.
"""
import argparse
import json
import re
import sys
from pathlib import Path

QUANTITY_FIELDS = ["value", "low", "high", "bound", "unit", "per", "actor", "measure",
                   "location", "source", "evidential", "modality"]
STATEMENT_FIELDS = ["source", "cue", "evidential", "modality", "negated"]

STOP = {"a", "an", "the", "some", "these", "those", "this", "that", "one", "two", "several",
        "senior", "analyst", "former", "new", "top", "many", "other", "its", "their", "according",
        "president", "prime", "minister", "secretary", "spokesperson", "spokesman", "spokeswoman",
        "deputy", "chairman", "head", "chief", "rep", "gen", "general", "colonel", "lt", "mr", "ms"}
FUNCTION_WORDS = {"and", "of", "in", "by", "with", "from", "for", "at", "to", "on", "as", "who",
                  "cited", "citing", "via", "&"}
GENERIC = {"officials", "official", "sources", "source", "ministry", "intelligence", "military",
           "government", "forces", "staff", "service", "experts", "analysts", "authorities",
           "us", "uk", "russia", "ukraine", "korea", "north", "south", "western", "defense", "defence",
           "office", "department", "agency", "spokesperson", "assessment", "data", "report"}
ALIASES = {"u.s.": "us", "u.s": "us", "us": "us", "u.k": "uk", "british": "uk", "britain": "uk", "american": "us", "america": "us", "united": "us",
           "states": "us", "ukrainian": "ukraine", "ukraine's": "ukraine", "russian": "russia",
           "russia's": "russia", "korean": "korea", "koreans": "korea"}


def _norm_token(tok):
    tok = tok.strip(".,;:“”\"'’()").lower()
    tok = re.sub(r"['’]s$", "", tok)
    return ALIASES.get(tok, tok)


def source_key(text):
    """The content words of a source phrase, normalised ("U.S." = "American" = "us")."""
    if not text:
        return frozenset()
    toks = (_norm_token(t) for t in re.split(r"[\s,]+", text.strip()))
    return frozenset(t for t in toks if t and t not in STOP and t not in FUNCTION_WORDS)


def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def same_field(field, gold, got):
    if isinstance(gold, list):  # the gold accepts any of several answers
        return any(same_field(field, g, got) for g in gold)
    if field in ("value", "low", "high"):
        return same_number(gold, got)
    if field == "source":
        a, b = source_key(gold), source_key(got)
        if a == b or (a and b and len(a & b) / len(a | b) >= 0.75):
            return True
        small, big = sorted((a, b), key=len)
        return bool(small) and small <= big and bool(small - GENERIC)  # "Gerasimov" ~ "Valery Gerasimov"
    if field == "negated":
        return bool(gold) == bool(got)
    norm = lambda v: None if v in (None, "") else str(v).strip().lower()
    return norm(gold) == norm(got)


def locate(text, anchor, needle, ignore_case=False):
    """Span of the occurrence of needle nearest to anchor, inside anchor's paragraph."""
    a = text.find(anchor)
    if a < 0:
        raise ValueError(f"anchor not in document: {anchor!r}")
    start = text.rfind("\n", 0, a) + 1
    end = text.find("\n", a)
    end = len(text) if end < 0 else end
    best = None
    for m in re.finditer(re.escape(needle), text[start:end], re.I if ignore_case else 0):
        s = start + m.start()
        d = abs(s - a)
        if best is None or d < best[0]:
            best = (d, s)
    if best is None:
        raise ValueError(f"{needle!r} not near anchor {anchor!r}")
    return best[1], best[1] + len(needle)


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def read_jsonl(path):
    if not path.exists():
        return []
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def span_of(claim, key="span"):
    s = claim.get(key)
    if isinstance(s, (list, tuple)) and len(s) == 2:
        return int(s[0]), int(s[1])
    return None


def score(docs_dir, gold_dir, claims):
    by_doc = {}
    for c in claims:
        by_doc.setdefault(str(c.get("doc")), []).append(c)
    q = dict(tp=0, fp=0, fn=0, negatives_hit=0, exact=0, gold=0)
    qf = {f: [0, 0] for f in QUANTITY_FIELDS}
    st = dict(found=0, gold=0, exact=0, extra=0)
    sf = {f: [0, 0] for f in STATEMENT_FIELDS}
    misses = []
    for gpath in sorted(Path(gold_dir).glob("*.quantities.jsonl")):
        doc = gpath.name[: -len(".quantities.jsonl")]
        text = (Path(docs_dir) / f"{doc}.txt").read_text(encoding="utf-8")
        gold_q = read_jsonl(gpath)
        gold_s = read_jsonl(Path(gold_dir) / f"{doc}.statements.jsonl")
        negs = read_jsonl(Path(gold_dir) / f"{doc}.negatives.jsonl")
        got = by_doc.get(doc, [])
        got_q = [c for c in got if c.get("kind", "quantity") == "quantity" and span_of(c)]
        got_s = [c for c in got if c.get("kind") == "statement"]

        # quantities: one-to-one by largest span overlap
        spans = [locate(text, g["anchor"], g["text"]) for g in gold_q]
        pairs = sorted(((overlap(spans[i], span_of(c)), i, j)
                        for i in range(len(gold_q)) for j, c in enumerate(got_q)
                        if overlap(spans[i], span_of(c)) > 0), reverse=True)
        gi, gj = {}, set()
        for _, i, j in pairs:
            if i not in gi and j not in gj:
                gi[i] = j
                gj.add(j)
        neg_spans = [locate(text, n["anchor"], n["text"]) for n in negs]
        for j, c in enumerate(got_q):
            if j in gj:
                continue
            q["fp"] += 1
            if any(overlap(ns, span_of(c)) for ns in neg_spans):
                q["negatives_hit"] += 1
            misses.append(f"{doc}: extra quantity {c.get('text')!r} at {span_of(c)}")
        for i, g in enumerate(gold_q):
            optional = g.get("optional", False)
            if i not in gi:
                if not optional:
                    q["fn"] += 1
                    q["gold"] += 1
                    misses.append(f"{doc}: missed {g['text']!r} ({g['anchor']!r})")
                continue
            if optional:
                continue
            q["gold"] += 1
            q["tp"] += 1
            c = got_q[gi[i]]
            ok = True
            for f in QUANTITY_FIELDS:
                if g.get(f) == "*":  # not judged for this record
                    continue
                good = same_field(f, g.get(f), c.get(f))
                qf[f][0] += good
                qf[f][1] += 1
                if not good:
                    ok = False
                    misses.append(f"{doc}: {g['text']!r} {f}: want {g.get(f)!r}, got {c.get(f)!r}")
            q["exact"] += ok

        # statements: matched by the cue's position
        used = set()
        for g in gold_s:
            st["gold"] += 1
            a = text.find(g["anchor"])
            cue_at = locate(text, g["anchor"], g["cue"], ignore_case=True) if g["cue"].lower() in g["anchor"].lower() \
                else (a, a + len(g["anchor"]))
            cands = [(overlap(cue_at, span_of(c, "cue_span") or span_of(c) or (0, 0)), j)
                     for j, c in enumerate(got_s) if j not in used]
            cands = [x for x in cands if x[0] > 0]
            if not cands:
                misses.append(f"{doc}: missed statement at {g['anchor']!r}")
                continue
            _, j = max(cands)
            used.add(j)
            st["found"] += 1
            c = got_s[j]
            ok = True
            for f in STATEMENT_FIELDS:
                if g.get(f) == "*":  # not judged for this record
                    continue
                good = same_field(f, g.get(f), c.get(f))
                sf[f][0] += good
                sf[f][1] += 1
                if not good:
                    ok = False
                    misses.append(f"{doc}: statement {g['anchor']!r} {f}: want {g.get(f)!r}, got {c.get(f)!r}")
            st["exact"] += ok
        st["extra"] += len(got_s) - len(used)

    p = q["tp"] / (q["tp"] + q["fp"]) if q["tp"] + q["fp"] else 0.0
    r = q["tp"] / (q["tp"] + q["fn"]) if q["tp"] + q["fn"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    summary = {
        "quantity_precision": round(p, 4), "quantity_recall": round(r, 4), "quantity_f1": round(f1, 4),
        "quantity_exact": round(q["exact"] / q["gold"], 4) if q["gold"] else 0.0,
        "negatives_hit": q["negatives_hit"],
        "statement_recall": round(st["found"] / st["gold"], 4) if st["gold"] else 0.0,
        "statement_exact": round(st["exact"] / st["gold"], 4) if st["gold"] else 0.0,
        "statement_extra": st["extra"],
        "quantity_fields": {f: round(a / n, 4) if n else None for f, (a, n) in qf.items()},
        "statement_fields": {f: round(a / n, 4) if n else None for f, (a, n) in sf.items()},
        "counts": {"gold_quantities": q["gold"], "tp": q["tp"], "fp": q["fp"], "fn": q["fn"],
                   "gold_statements": st["gold"]},
    }
    return summary, misses


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--json", action="store_true", help="print only the JSON summary")
    ap.add_argument("--min", action="append", default=[], metavar="KEY=VALUE",
                    help="fail (exit 1) when a top-level figure is below VALUE")
    ap.add_argument("--max", action="append", default=[], metavar="KEY=VALUE",
                    help="fail (exit 1) when a top-level figure is above VALUE")
    ap.add_argument("claims")
    a = ap.parse_args(argv)
    raw = sys.stdin.read() if a.claims == "-" else Path(a.claims).read_text(encoding="utf-8")
    claims = [json.loads(l) for l in raw.splitlines() if l.strip()]
    summary, misses = score(a.docs, a.gold, claims)
    if not a.json:
        for m in misses:
            print(m)
    print(json.dumps(summary, indent=None if a.json else 2))
    failed = []
    for cond in a.min:
        k, v = cond.split("=", 1)
        if summary.get(k, 0) < float(v):
            failed.append(f"{k}={summary.get(k)} < {v}")
    for cond in a.max:
        k, v = cond.split("=", 1)
        if summary.get(k, 0) > float(v):
            failed.append(f"{k}={summary.get(k)} > {v}")
    if failed:
        print("below the bar: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
