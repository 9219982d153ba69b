"""`flask vignettes sweep`: delete stored objects left behind when the store failed mid-upload."""
import click
from flask.cli import AppGroup

from trainer.vignettes.uploads import sweep

vignettes_cli = AppGroup("vignettes", help="Vignette files in storage.")


@vignettes_cli.command("sweep")
def sweep_command() -> None:
    """Delete objects queued for deletion after a failed upload; exit 1 while some remain."""
    deleted, waiting = sweep(limit=10_000)
    click.echo(f"Deleted {deleted} left-over object(s); {waiting} still waiting.")
    if waiting:
        raise SystemExit(1)
