"""send_mail writes the outbox and, with MAIL_SERVER set, delivers over real SMTP."""
from sqlalchemy import select

from tests.conftest import free_port
from trainer.extensions import db
from trainer.mail import OutboxMessage, send_mail


def test_without_smtp_mail_stays_in_the_outbox(app):
    send_mail("a@example.org", "Hello", "Body text")
    db.session.commit()
    row = db.session.scalar(select(OutboxMessage))
    assert (row.to, row.subject, row.body, row.sent_at) == ("a@example.org", "Hello", "Body text", None)


def test_smtp_delivery_to_a_real_listener(make_app, smtp_server):
    port, sink = smtp_server
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="Trainer <t@example.org>")
    with app.app_context():
        from tests.conftest import clean_database
        clean_database()
        send_mail("b@example.org", "Your invitation", "Open the link")
        db.session.commit()
        assert len(sink.messages) == 1
        message = sink.messages[0]
        assert message.rcpt_tos == ["b@example.org"] and message.mail_from == "t@example.org"
        assert b"Subject: Your invitation" in message.content and b"Open the link" in message.content
        row = db.session.scalar(select(OutboxMessage))
        assert row.sent_at is not None and row.body is None  # dropped once delivered


def test_rolled_back_mail_is_never_sent(make_app, smtp_server):
    port, sink = smtp_server
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        send_mail("c@example.org", "Never", "Never")
        db.session.rollback()
        db.session.commit()
        assert sink.messages == []


def test_unreachable_smtp_records_the_failure(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    with app.app_context():
        from tests.conftest import clean_database
        clean_database()
        send_mail("d@example.org", "Lost", "Lost")
        db.session.commit()
        row = db.session.scalar(select(OutboxMessage))
        assert row.sent_at is None and row.error == "ConnectionRefusedError" and row.body == "Lost"
