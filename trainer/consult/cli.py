"""`flask consult escalate`: meant for cron, every few minutes."""
import click
from flask.cli import AppGroup

from trainer.consult.escalation import escalate_overdue

consult_cli = AppGroup("consult", help="Case consultations.")


@consult_cli.command("escalate")
def escalate() -> None:
    """Reassign open consultations past their due time, with new due times, and tell the people concerned."""
    click.echo(escalate_overdue().summary())
