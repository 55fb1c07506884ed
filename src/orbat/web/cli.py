"""`orbat serve`: the local web app over the ledger."""
from __future__ import annotations

from typing import Optional

import typer


def serve_cmd(db: Optional[str] = typer.Option(None, "--db", envvar="ORBAT_DB",
                                               help="Ledger database URL (default: SQLite in the user data dir)."),
              host: str = typer.Option("127.0.0.1", "--host",
                                       help="Interface to listen on (only this machine by default)."),
              port: int = typer.Option(8000, "--port")) -> None:
    """Open the ledger in a browser: add reports, documents, claims, estimates, simulations."""
    import uvicorn

    from orbat.web.app import create_app

    app = create_app(db, host=host)
    typer.echo(f"orbat: serving {app.state.ledger.display_url} at http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
