"""The baseline: a bare Flask app that returns a fixed page of a requested size.

Served by gunicorn with the same settings as the site, so that the ratio
site/baseline measures what the site's own work costs.
"""
from functools import cache

from flask import Flask, Response

app = Flask(__name__)


@cache
def body(size: int) -> bytes:
    """An HTML page of exactly `size` bytes."""
    head = b"<!doctype html><html><body><p>"
    tail = b"</p></body></html>"
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


@app.route("/<int:size>", methods=["GET", "POST"])
def page(size: int) -> Response:
    """Return the fixed page."""
    return Response(body(size), mimetype="text/html")
