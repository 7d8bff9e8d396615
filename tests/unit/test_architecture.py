"""Rules of the package's layout (DESIGN §2), checked on the import statements themselves
(and, for thin views and presenters, on the source read with ``ast``) so that a newcomer's
first shortcut fails a test instead of a review.

Layers go one way down: blueprints → services (by domain) → models / crypto / surveys.
Views are thin (DESIGN §1.7): only services talk to the database. Services hand figures
over as numbers, keys and disclosure cells; how they read on a page (number formats, HTML
ids) is a presenter's. Within services, sealed values are opened in few places: response
answers and facts only in the sealed-response store, and figures only ever see facts.
"""

from __future__ import annotations

import ast

import pytest

from feedback_app.services.responses.store import FACT_READERS
from tests.helpers.imports import PACKAGE, PACKAGE_DIR, Import, Module, cycles, reachable, read_graph

GRAPH = read_graph()
BLUEPRINTS = ("admin", "auth", "coordinator", "health", "survivor", "worker")
# The one module of ``auth`` that every blueprint uses: role checks and role names.
SHARED_FROM_AUTH = f"{PACKAGE}.auth.access"
BASE_MODULES = ("config", "extensions", "security", "htmx", "i18n", "logs", "errors")
# The packages that face the web: the blueprints and the pieces they share.
FACES = (*BLUEPRINTS, "survey_pages", "staff_forms")
# What a face may take from ``extensions``: the web's own (CSRF exemptions, rate limits,
# Flask-Login's set-up). Never ``db``: the database is the services' alone.
WEB_EXTENSIONS = {"csrf", "limiter", "login_manager"}
NUMBER_FORMATTERS = {
    "format_number", "format_decimal", "format_percent", "format_scientific", "format_currency",
    "format_compact_decimal",
}
BABEL_MODULES = {"flask_babel", "babel", "babel.numbers", "numbers"}  # "numbers": from babel import numbers
CRYPTO = f"{PACKAGE}.crypto"
# The modules that hold keys or encrypt: the keyring's ``crypto`` and the backup files' ``backup_crypto``.
CRYPTO_MODULES = ("crypto", "backup_crypto")
STORE = f"{PACKAGE}.services.responses.store"
# The only service modules that import ``crypto``: the sealed-response store, the keyring,
# other sealed texts (glosses, quotes), key rotation, the TOTP secret, backups (which
# carry the keyring in an encrypted file), the narrative public key and the openers a request
# unlocked (``narrative_keys``), moving words into narratives and re-sealing them
# (``narrative_batches``), and the coordinators' narrative lockers and session copies.
CRYPTO_IN_SERVICES = {
    f"{PACKAGE}.services.operations.backups",
    STORE,
    f"{PACKAGE}.services.responses.keyring",
    f"{PACKAGE}.services.responses.sealed_text",
    f"{PACKAGE}.services.responses.key_rotation",
    f"{PACKAGE}.services.staff.two_factor",
    f"{PACKAGE}.services.responses.narrative_keys",
    f"{PACKAGE}.services.responses.narrative_batches",
    f"{PACKAGE}.services.staff.narrative_access",
    f"{PACKAGE}.services.staff.narrative_sessions",
}
# What figures may use of ``responses`` besides the store's fact readers: the token format.
FIGURES_FROM_RESPONSES = {f"{PACKAGE}.services.responses.facts"}


def _in(name: str, package: str) -> bool:
    full = f"{PACKAGE}.{package}"
    return name == full or name.startswith(full + ".")


def _modules_in(package: str) -> list[Module]:
    return [m for m in GRAPH.values() if _in(m.name, package)]


def _offences(modules, forbidden) -> list[str]:
    return [
        f"{m.path.relative_to(PACKAGE_DIR.parent)}:{i.line} imports {i.target}"
        for m in modules
        for i in m.imports
        if forbidden(i)
    ]


def test_the_graph_is_read_from_every_module():
    # A guard for the rules below: they would pass vacuously on an empty graph.
    assert len(GRAPH) > 60
    assert f"{PACKAGE}.services.responses.submissions" in GRAPH
    assert STORE in GRAPH
    assert any(i.target == f"{PACKAGE}.auth.access" for i in GRAPH[f"{PACKAGE}.coordinator.routes"].imports)


def test_there_is_no_import_cycle():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    looped = read_graph()
    a, b = f"{PACKAGE}.htmx", f"{PACKAGE}.logs"
    looped[a].imports.append(_import(b))
    looped[b].imports.append(_import(a))
    assert [a, b] in cycles(looped)


def _import(target: str) -> Import:
    return Import(target, ("*",), 0)


def test_security_imports_nothing_of_ours():
    assert GRAPH[f"{PACKAGE}.security"].imports == []


@pytest.mark.parametrize("base", BASE_MODULES)
def test_base_modules_import_no_blueprint_and_no_service(base):
    below = reachable(GRAPH, f"{PACKAGE}.{base}")
    assert not [name for name in below if _in(name, "services") or any(_in(name, bp) for bp in BLUEPRINTS)]


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_no_blueprint_imports_another(blueprint):
    def forbidden(i):
        others = [bp for bp in BLUEPRINTS if bp != blueprint]
        return any(_in(i.target, other) for other in others) and i.target != SHARED_FROM_AUTH

    assert _offences(_modules_in(blueprint), forbidden) == []


def test_services_import_no_blueprint():
    assert _offences(_modules_in("services"), lambda i: any(_in(i.target, f) for f in FACES)) == []


@pytest.mark.parametrize("face", FACES)
def test_views_never_import_crypto(face):
    # A view catches what a service raises (e.g. ``quotes.Unreadable``), never a CryptoError.
    assert _modules_in(face)
    assert _offences(_modules_in(face), lambda i: any(_in(i.target, c) for c in CRYPTO_MODULES)) == []


def test_within_services_only_the_store_and_key_modules_import_crypto():
    importers = {
        m.name for m in _modules_in("services") if any(_in(i.target, c) for i in m.imports for c in CRYPTO_MODULES)
    }
    assert STORE in importers
    assert importers <= CRYPTO_IN_SERVICES, sorted(importers - CRYPTO_IN_SERVICES)


def test_within_services_only_those_modules_use_the_keyring():
    # The keyring opens anything: a service that may not import crypto may not reach round it.
    keyring = f"{PACKAGE}.services.responses.keyring"
    users = {m.name for m in _modules_in("services") if any(i.target == keyring for i in m.imports)}
    assert STORE in users
    assert users <= CRYPTO_IN_SERVICES, sorted(users - CRYPTO_IN_SERVICES)


def _opens_free_text(i: Import) -> bool:
    """An import that figures may not make: anything that can open a response's answers or
    other sealed words (``crypto``, the keyring, ``insight``, ``reports``, ``demo``, any
    ``responses`` module but the token format), or from the store anything but its fact readers."""
    if i.target == STORE:
        return not set(i.names) <= set(FACT_READERS)
    if _in(i.target, "services.responses"):
        return i.target not in FIGURES_FROM_RESPONSES
    return any(_in(i.target, p) for p in ("crypto", "services.insight", "services.reports", "services.demo"))


def test_figures_import_nothing_that_opens_free_text():
    figures = _modules_in("services.figures")
    assert any(i.target == STORE for m in figures for i in m.imports)  # the rule is not vacuous
    assert _offences(figures, _opens_free_text) == []


@pytest.mark.parametrize(
    "target, names",
    [
        (STORE, ("open_answers",)),
        (STORE, ("read_facts", "open_facts")),
        (STORE, ("*",)),  # from ..responses import store
        (f"{PACKAGE}.services.responses.submissions", ("open_response",)),
        (f"{PACKAGE}.services.responses.keyring", ("current_keyring",)),
        (f"{PACKAGE}.services.responses", ("*",)),
        (CRYPTO, ("CryptoError",)),
        (f"{PACKAGE}.services.insight.comments", ("*",)),
        (f"{PACKAGE}.services.reports.raw_export", ("*",)),
    ],
)
def test_the_free_text_rule_refuses(target, names):
    assert _opens_free_text(Import(target, names, 0))


def test_the_free_text_rule_allows_fact_readers_and_tokens():
    assert not _opens_free_text(Import(STORE, FACT_READERS, 0))
    assert not _opens_free_text(Import(f"{PACKAGE}.services.responses.facts", ("*",), 0))


def test_only_the_cli_imports_the_demo_services():
    importers = {
        m.name for m in GRAPH.values() for i in m.imports if _in(i.target, "services.demo") and not _in(m.name, "services.demo")
    }
    assert importers <= {f"{PACKAGE}.cli"}


def _compares_type_with_text(module: Module) -> list[int]:
    """Lines where ``<something>.type`` is compared with ``"text"`` (deciding what is free text)."""
    lines = []
    for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "type" for s in sides) and any(
                isinstance(s, ast.Constant) and s.value == "text" for s in sides
            ):
                lines.append(node.lineno)
    return lines


def test_only_the_comment_catalogue_decides_which_answers_are_comments():
    catalogue = f"{PACKAGE}.services.insight.catalogue"
    deciding = {
        m.name: lines
        for m in GRAPH.values()
        if (lines := _compares_type_with_text(m)) and _in(m.name, "services") and m.name != catalogue
    }
    assert deciding == {}
    assert _compares_type_with_text(GRAPH[catalogue])  # the rule looks at the right thing


# What each service domain must never import (its ``__init__`` docstring says why).
NEVER_IMPORTS = {
    "services.responses": ("services.figures", "services.insight", "services.reports", "services.demo"),
    "services.figures": ("services.insight", "services.reports", "services.demo", "services.staff"),
    "services.insight": ("services.reports", "services.demo"),
    "services.reports": ("services.demo",),
    "services.staff": ("services.figures", "services.insight", "services.reports", "services.demo"),
    "services.operations": ("services.insight", "services.reports", "services.demo"),
    "services.impact": ("crypto", "services.responses", "services.insight", "services.reports", "services.demo"),
}


@pytest.mark.parametrize("domain", sorted(NEVER_IMPORTS))
def test_service_domains_keep_to_their_rooms(domain):
    forbidden = NEVER_IMPORTS[domain]
    assert _offences(_modules_in(domain), lambda i: any(_in(i.target, f) for f in forbidden)) == []


def test_statements_take_periods_and_service_keys_from_figures_never_a_count():
    # "You said, we did" is public: no dashboard number may find its way onto that page.
    allowed = {f"{PACKAGE}.services.figures.periods", f"{PACKAGE}.services.figures.filters"}
    impact = _modules_in("services.impact")
    used = {i.target for m in impact for i in m.imports if _in(i.target, "services.figures")}
    assert used and used <= allowed, sorted(used - allowed)


def test_responses_use_only_the_rate_limits_of_staff():
    used = {i.target for m in _modules_in("services.responses") for i in m.imports if _in(i.target, "services.staff")}
    assert used <= {f"{PACKAGE}.services.staff.rate_limits"}


@pytest.mark.parametrize("domain", sorted({d.rpartition(".")[2] for d in NEVER_IMPORTS} | {"demo"}))
def test_every_domain_says_what_it_owns_and_never_imports(domain):
    docstring = ast.get_docstring(ast.parse(GRAPH[f"{PACKAGE}.services.{domain}"].path.read_text(encoding="utf-8")))
    assert docstring and "never import" in docstring.lower().replace("\n", " ")
def _tree(module: Module) -> ast.Module:
    return ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))


def _where(module: Module, node: ast.AST, what: str) -> str:
    path = module.path.relative_to(PACKAGE_DIR.parent) if module.path.is_relative_to(PACKAGE_DIR) else module.path
    return f"{path}:{node.lineno} {what}"


def _database_use(module: Module) -> list[str]:
    """``db.session`` (or ``extensions.db.session``) anywhere in the module."""
    return [
        _where(module, node, "uses db.session")
        for node in ast.walk(_tree(module))
        if isinstance(node, ast.Attribute)
        and node.attr == "session"
        and (
            (isinstance(node.value, ast.Name) and node.value.id == "db")
            or (isinstance(node.value, ast.Attribute) and node.value.attr == "db")
        )
    ]


@pytest.mark.parametrize("face", FACES)
def test_views_never_touch_the_database(face):
    modules = _modules_in(face)
    assert modules
    imports = _offences(
        modules,
        lambda i: i.target == f"{PACKAGE}.extensions" and not set(i.names) <= WEB_EXTENSIONS,
    )
    assert imports + [use for m in modules for use in _database_use(m)] == []


def _number_formatting(module: Module) -> list[str]:
    """Babel's number formatters imported or called (``rules.format_percent`` is not one:
    it is the formatting the caller passed in)."""
    found = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.ImportFrom) and node.module in BABEL_MODULES:
            names = {alias.name for alias in node.names}
            if names & NUMBER_FORMATTERS or (node.module == "babel" and "numbers" in names):
                found.append(_where(module, node, f"imports {sorted(names & (NUMBER_FORMATTERS | {'numbers'}))}"))
        elif isinstance(node, ast.Import) and any(alias.name == "babel.numbers" for alias in node.names):
            found.append(_where(module, node, "imports babel.numbers"))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in NUMBER_FORMATTERS:
            found.append(_where(module, node, f"uses {node.id}"))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in NUMBER_FORMATTERS
            and isinstance(node.value, ast.Name)
            and node.value.id in BABEL_MODULES
        ):
            found.append(_where(module, node, f"uses {node.value.id}.{node.attr}"))
    return found


def test_services_leave_number_formats_to_the_presenters():
    assert [found for m in _modules_in("services") for found in _number_formatting(m)] == []


def _html_ids(module: Module, check_fields: bool) -> list[str]:
    """A helper named for HTML ids, or (where ``check_fields``) a class with an ``id`` field."""
    found = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "html_id" in node.name.lower():
            found.append(_where(module, node, f"defines {node.name}"))
        elif check_fields and isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and item.target.id == "id":
                    found.append(_where(module, item, f"{node.name} has an id field"))
    return found


def test_services_leave_html_ids_to_the_presenters():
    """Figures and reports name their parts by keys (a question, a service, an audience);
    the HTML ids built from them are the presenter's (``coordinator/presenters.py``)."""
    keyed = ("services.figures", "services.reports")
    found = [
        offence
        for m in _modules_in("services")
        for offence in _html_ids(m, check_fields=any(_in(m.name, package) for package in keyed))
    ]
    assert found == []


def _snippet(tmp_path, source: str) -> Module:
    path = tmp_path / "snippet.py"
    path.write_text(source, encoding="utf-8")
    return Module(f"{PACKAGE}.snippet", path)


def test_the_source_rules_see_what_they_forbid(tmp_path):
    # Guards for the three rules above: they would pass vacuously if they saw nothing.
    assert _database_use(_snippet(tmp_path, "from ..extensions import db\ndb.session.commit()\n"))
    assert _database_use(_snippet(tmp_path, "from .. import extensions\nextensions.db.session.add(1)\n"))
    assert not _database_use(_snippet(tmp_path, "from flask import session\nsession.clear()\n"))
    assert _number_formatting(_snippet(tmp_path, "from flask_babel import format_number\nformat_number(3)\n"))
    assert _number_formatting(_snippet(tmp_path, "import flask_babel\nflask_babel.format_percent(0.5)\n"))
    assert not _number_formatting(_snippet(tmp_path, "def shown(rules):\n    return rules.format_percent(0.5)\n"))
    assert _html_ids(_snippet(tmp_path, "def _html_id(key):\n    return key\n"), check_fields=False)
    assert _html_ids(_snippet(tmp_path, "class Figure:\n    id: str\n"), check_fields=True)
    assert not _html_ids(_snippet(tmp_path, "class Figure:\n    key: str\n"), check_fields=True)
