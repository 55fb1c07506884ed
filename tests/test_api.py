"""The public API: `orbat.extract(text, doc=)` and `orbat.Ledger` stay callable after any import."""
import json

import orbat
import orbat.extract.quantities  # noqa: F401  importing a submodule must not shadow the function


def test_extract_is_the_function_and_records_serialise():
    claims = orbat.extract("North Korea has sent over 10,000 troops to Kursk, U.S. officials said.",
                           doc="t1")
    kinds = {c.kind for c in claims}
    assert kinds == {"quantity", "statement"}
    q = next(c for c in claims if c.kind == "quantity")
    record = json.loads(json.dumps(q.to_dict()))
    assert record["doc"] == "t1" and record["bound"] == "at_least" and record["value"] == 10000
    assert record["source"] == "U.S. officials"


def test_ledger_is_exported():
    assert callable(orbat.Ledger)
