"""The ledger: documents and claims with provenance in SQLite or PostgreSQL; ingest, query, export.

Names load lazily so that ``orbat --help`` does not pay for pandas and SQLAlchemy.
"""
__all__ = ["Ledger", "QUANTITY_COLUMNS", "STATEMENT_COLUMNS"]


def __getattr__(name):
    if name in __all__:
        from orbat.ledger import store

        return getattr(store, name)
    raise AttributeError(name)
