"""Pages cost a bounded number of SQL statements, however many entries there are."""
import datetime as dt

import pytest

from tests.conftest import login


def fill(add_entry, trainee, supervisor, n):
    statuses = ("pending", "approved", "rejected")
    for i in range(n):
        add_entry(trainee, supervisor, date=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                  status=statuses[i % 3], category=("conjoint", "individual-supervision", "court")[i % 3])


def statements(count_queries, client, path) -> int:
    client.get(path)  # warm: first-request work (templates, programs.yml) is not per entry
    with count_queries() as counted:
        assert client.get(path).status_code == 200
    return counted[0]


@pytest.mark.parametrize("role,path", [("trainee", "/"), ("trainee", "/hours"), ("trainee", "/certificates"),
                                       ("supervisor", "/supervise/hours"), ("supervisor", "/"),
                                       ("supervisor", "/supervise/trainees/{trainee}"), ("admin", "/admin/reports"),
                                       ("admin", "/admin/hours")])
def test_same_statement_count_with_5_and_50_entries(make_app, count_queries, add_entry, make_user, admin, role,
                                                    path):
    supervisor = make_user("supervisor")
    counts = []
    for n in (5, 50):
        trainee = make_user("trainee", supervisor=supervisor)
        fill(add_entry, trainee, supervisor, n)
        client = make_app().test_client()
        login(client, {"trainee": trainee, "supervisor": supervisor, "admin": admin}[role])
        counts.append(statements(count_queries, client, path.format(trainee=trainee.id)))
    assert counts[0] == counts[1], f"{path}: {counts[0]} statements with 5 entries, {counts[1]} with 50"
    assert 0 < counts[1] <= 15, f"{path}: {counts[1]} statements"
