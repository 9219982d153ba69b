"""Entry point for `flask --app app` and `gunicorn app:app`."""
import gc

from trainer import create_app

app = create_app()
# Everything built so far (modules, templates, the app) lives as long as the process: keep it out
# of the garbage collector's full passes, which otherwise add tens of milliseconds to some requests.
gc.freeze()
