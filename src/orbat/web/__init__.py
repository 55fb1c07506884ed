"""The web app (`orbat serve`): FastAPI + Jinja2 pages over the ledger, Plotly charts."""
