"""Answers never reach the database in the clear, and survivors' words never open with what
the server alone holds: look at the raw bytes, then open everything that opens."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from feedback_app.crypto import CryptoError, Keyring
from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.figures import periods
from feedback_app.services.insight import themes
from feedback_app.services.responses.key_rotation import SEALED_COLUMNS
from feedback_app.services.responses.store import legacy_payload_place, narrative_place
from feedback_app.services.staff import narrative_sessions
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.responses import store
from tests.helpers.staff import make_account, post_form, sign_in
from tests.helpers.survey_walker import SurveyWalker

SENTENCE = "The purple umbrella waited beside platform nine"

# Typed by survivors (online and in a worker's 1:1 evaluation), and restated by a coordinator.
ONLINE = "Zebra lanterns hummed over the Kettering footbridge"
ONLINE_POLICE = "Marmalade ferries never leave Dover harbour"
WORKER = "Copper kites drifted above the Wisbech market square"
GLOSS = "Saffron tortoises guarded the Fenland depot"
DRAFT = "Velvet pylons whispered near the Ely cathedral"
# Approved for publication: sealed with the keyring on purpose, so the search must find it.
APPROVED = "Turquoise badgers approved this wording"
SECRETS = (ONLINE, ONLINE_POLICE, WORKER, GLOSS, DRAFT)


def test_sentence_is_not_in_the_database(app, test_database):
    store({"anything_else": SENTENCE, "helpful.police": SENTENCE.upper()})
    db.session.remove()
    db.engine.dispose()
    raw = _raw_database(test_database.url, test_database, tables=("responses",))
    assert SENTENCE.encode() not in raw
    assert SENTENCE.upper().encode() not in raw
    assert b"platform" not in raw.lower()


def _raw_database(url: str, test_database, tables=()) -> bytes:
    """The database's bytes: the SQLite file (with its journal), or a ``pg_dump``."""
    if url.startswith("sqlite"):
        path = test_database.path if url == test_database.url else _sqlite_path(url)
        raw = path.read_bytes()
        for suffix in ("-wal", "-journal"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                raw += extra.read_bytes()
        assert b"responses" in raw  # the file really is the database
        return raw
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.fail("pg_dump is needed to check PostgreSQL at rest")
    libpq = url.replace("postgresql+psycopg://", "postgresql://").replace("postgresql+psycopg2://", "postgresql://")
    raw = subprocess.run(
        [pg_dump, "--data-only", *(f"--table={t}" for t in tables), libpq], capture_output=True, check=True, timeout=120
    ).stdout
    assert b"COPY public.responses" in raw
    return raw


def _sqlite_path(url: str):
    from pathlib import Path

    return Path(url.removeprefix("sqlite:///"))


def opened_with_server_keys(url: str, keyring: Keyring) -> list[bytes]:
    """Every sealed value in the database at ``url`` that the keyring opens, at every place
    the app binds values to (narratives included: they must not open)."""
    engine = create_engine(url)
    opened = []
    try:
        with Session(engine) as session:
            for sealed in SEALED_COLUMNS:
                for row in session.scalars(select(sealed.model)):
                    blob = getattr(row, sealed.column)
                    if blob is None:
                        continue
                    for place in (sealed.place(row), *sealed.older_places(row)):
                        try:
                            opened.append(keyring.open(bytes(blob), place))
                        except CryptoError:
                            continue
            for row in session.scalars(select(Response).where(Response.narrative.is_not(None))):
                for place in (narrative_place(row.id), legacy_payload_place(row.id)):
                    try:
                        opened.append(keyring.open(bytes(row.narrative), place))
                    except CryptoError:
                        continue
    finally:
        engine.dispose()
    return opened


def _submit_online(client) -> None:
    walker = SurveyWalker(client, "adult")
    walker.start()
    walker.press(answers={"age": "age_25_34", "gender": "woman"})
    walker.press(answers={"services": ["police"]})
    walker.press("continue")
    walker.press(answers={"listened.police": "yes", "helpful.police": ONLINE_POLICE})
    while not walker.form.find("textarea", attrs={"name": "anything_else"}):
        walker.press("next")
    walker.press(answers={"anything_else": ONLINE})
    walker.press("submit")
    assert walker.heading == "Thank you"


def _submit_evaluation(client) -> None:
    worker, _ = make_account("worker", pin="2468", organisation="Refuge North")
    assert sign_in(client, worker.email).status_code == 302
    started = post_form(client, "/worker/start", {"survey": "adult", "language": "en", "mode": "assisted"}, form_page="/worker/")
    walker = SurveyWalker(client, "adult")
    walker._load(started)
    walker.press("start")
    while walker.screen != "review":
        if walker.form.find("textarea", attrs={"name": "anything_else"}):
            walker.press(answers={"anything_else": WORKER})
        else:
            walker.press("continue" if walker.screen.startswith("warning") else "next")
    walker.press("submit")
    assert "Start another evaluation" in walker.text


def _work_as_coordinator(client) -> None:
    """Code a comment, gloss it, draft a quote, and approve another quote, through the pages."""
    account, secret = make_account("coordinator")
    assert sign_in(client, account.email, secret=secret).status_code == 302
    rows = {r.collection_mode: r for r in db.session.scalars(select(Response))}
    online, assisted = rows["online"].id, rows["assisted"].id
    period = periods.quarter_of(date.today()).token
    queue = {"service": "services.police", "question": "helpful", "period": period, "total": "1"}
    made = themes.create_theme("Quick response", "", "services.police", "helpful")
    coding = "/coordinator/coding?" + "&".join(f"{k}={v}" for k, v in queue.items() if k != "total")
    page = client.get(coding)
    assert page.status_code == 200 and ONLINE_POLICE in page.get_data(as_text=True)  # the coordinator reads it
    for action, extra in (("assign", {"theme_id": str(made.id)}), ("gloss", {"gloss": GLOSS})):
        data = {"response_id": str(online), "field": "helpful.police", **queue, **extra}
        assert post_form(client, f"/coordinator/coding/{action}", data, form_page=coding).status_code == 302
    proposed = post_form(
        client, "/coordinator/quotes/propose", {"response_id": str(online), "field": "anything_else"}, form_page=coding
    )
    draft_url = proposed.headers["Location"]
    assert post_form(client, draft_url, {"text": DRAFT, "action": "save"}).status_code == 302
    proposed = post_form(
        client, "/coordinator/quotes/propose", {"response_id": str(assisted), "field": "anything_else"}, form_page=coding
    )
    approved_url = proposed.headers["Location"]
    assert post_form(client, approved_url, {"text": APPROVED, "action": "approve"}).status_code == 302


def _backup_restored(app, tmp_path, test_database) -> tuple[str, bytes, object]:
    """``flask backup create`` then ``restore`` into an empty database: its URL, the backup
    file's bytes and the restored database's owner (to drop it)."""
    runner = app.test_cli_runner()
    output = tmp_path / "site.fbk"
    passphrase = "three random words here\n"
    created = runner.invoke(args=["backup", "create", "-o", str(output), "--passphrase-stdin"], input=passphrase)
    assert created.exit_code == 0, created.output
    if test_database.kind == "postgresql":
        url, name = create_postgres_database(test_database.server_url, prefix="feedback_alone")
        owner = (test_database.server_url, name)
    else:
        url, owner = f"sqlite:///{tmp_path / 'restored.db'}", None
    restored = runner.invoke(
        args=["backup", "restore", str(output), "--passphrase-stdin", "--database-url", url,
              "--keyring-file", str(tmp_path / "restored-keyring.json")],
        input=passphrase,
    )
    assert restored.exit_code == 0, restored.output
    return url, output.read_bytes(), owner


def test_the_server_alone_opens_no_survivor_words(app, test_database, tmp_path):
    """With the database (file or ``pg_dump``), a backup restored, the keyring, SECRET_KEY,
    the session store and every key the server holds, open everything that opens: no
    sentence a survivor typed, nor the gloss and draft restating them, is found. The approved
    quote (meant for publication) is, which shows the search looks in the right places."""
    _submit_online(app.test_client())
    _submit_evaluation(app.test_client())
    _work_as_coordinator(app.test_client())
    keyring = app.extensions["feedback_keyring"]
    session_store = b"".join(narrative_sessions.store().values())
    assert session_store  # the coordinator's session is still there
    url, backup_file, owner = _backup_restored(app, tmp_path, test_database)
    db.session.remove()
    db.engine.dispose()
    try:
        haystacks = {
            "database": _raw_database(test_database.url, test_database),
            "opened in the database": b"\n".join(opened_with_server_keys(test_database.url, keyring)),
            "restored backup": _raw_database(url, test_database),
            "opened in the restored backup": b"\n".join(opened_with_server_keys(url, keyring)),
            "backup file": backup_file,
            "session store": session_store,
            "server keys": keyring.to_json().encode() + app.config["SECRET_KEY"].encode(),
        }
    finally:
        if owner is not None:
            drop_postgres_database(*owner)
    for where, raw in haystacks.items():
        for sentence in SECRETS:
            for form in (sentence, sentence.lower(), sentence.split()[1]):
                assert form.encode() not in raw, (where, sentence)
    assert APPROVED.encode() in haystacks["opened in the database"]
    assert APPROVED.encode() in haystacks["opened in the restored backup"]
    assert b"woman" in haystacks["opened in the database"]  # chosen answers are the server's to open
