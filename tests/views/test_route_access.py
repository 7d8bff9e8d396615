"""Every route is either public or limited to roles, and the roles hold: a worker never reaches
admin or coordinator pages, a coordinator never reaches admin pages."""

import uuid

import pytest

from feedback_app.models import ROLES
from tests.conftest import running_app
from tests.helpers.pages import check_page
from tests.helpers.staff import make_account, sign_in

AREAS = {
    "/admin/": "admin",
    "/admin/audit": "admin",
    "/coordinator/": "coordinator",
    "/coordinator/summary": "coordinator",
    "/coordinator/access": "coordinator",
    "/admin/raw-export": "admin",
    "/worker/": "worker",
}
EVERY_ROLE_PAGE = "/staff/account"


def test_every_route_is_public_or_has_roles(app):
    unmarked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        access = getattr(app.view_functions[rule.endpoint], "access", None)
        if access == "public":
            continue
        if isinstance(access, tuple) and access and set(access) <= set(ROLES):
            continue
        unmarked.append(rule.rule)
    assert unmarked == []


def test_staff_areas_are_not_public(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/admin", "/coordinator", "/worker")):
            assert app.view_functions[rule.endpoint].access != "public", rule.rule


def registered(app, url: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(url, method="GET")
    except Exception:
        return False
    return True


@pytest.fixture
def clients(app):
    """A signed-in client for each role (and one for nobody)."""
    signed_in = {"anonymous": app.test_client()}
    for role in ROLES:
        _, secret = make_account(role, f"{role}@example.org")
        client = app.test_client()
        sign_in(client, f"{role}@example.org", secret=secret)
        signed_in[role] = client
    return signed_in


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_role_matrix(app, clients, who):
    client = clients[who]
    for url, role in AREAS.items():
        if not registered(app, url):
            continue
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/staff/sign-in"), url
        elif who == role:
            assert response.status_code == 200, (who, url)
            check_page(response)
        else:
            assert response.status_code == 403, (who, url)
            assert "not available to you" in check_page(response).get_text()
    expected = 302 if who == "anonymous" else 200
    assert client.get(EVERY_ROLE_PAGE).status_code == expected


def _url_for_rule(rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = uuid.uuid4() if type(converter).__name__ == "UUIDConverter" else "adult"
    return rule.build(values)[1]


@pytest.fixture
def walk_app(test_database):
    """CSRF off, so that a POST reaches the access check rather than the token check."""
    with running_app(test_database, WTF_CSRF_ENABLED=False) as app:
        yield app


def test_walk_every_protected_route_as_every_wrong_role(walk_app):
    clients = {"anonymous": walk_app.test_client()}
    for role in ROLES:
        _, secret = make_account(role, f"{role}@example.org")
        clients[role] = walk_app.test_client()
        sign_in(clients[role], f"{role}@example.org", secret=secret)
    checked = 0
    for rule in walk_app.url_map.iter_rules():
        access = getattr(walk_app.view_functions[rule.endpoint], "access", "public")
        if rule.endpoint == "static" or access == "public":
            continue
        url = _url_for_rule(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who, client in clients.items():
                if who in access:
                    continue
                response = client.open(url, method=method)
                if who == "anonymous" and response.status_code == 302:
                    assert response.headers["Location"].startswith("/staff/sign-in"), (method, url)
                else:
                    assert response.status_code == 403, (who, method, url, response.status_code)
                checked += 1
    assert checked > 20
