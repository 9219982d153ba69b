"""One page of a listing, counted and clamped the same way everywhere."""
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from trainer.extensions import db


@dataclass(frozen=True)
class Page:
    """One page of a listing."""

    items: list
    page: int
    pages: int
    total: int


def paginate(stmt: Select, page: int, size: int) -> Page:
    """Rows of an ordered select on a page (clamped to the pages there are): one count, one fetch."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // size))
    page = min(max(page, 1), pages)
    items = db.session.scalars(stmt.limit(size).offset((page - 1) * size)).all()
    return Page(items=list(items), page=page, pages=pages, total=total)
