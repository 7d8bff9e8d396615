"""``flask narratives init | status | recover | migrate | rotate``, and the batches behind
migrate and rotate interrupted and resumed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from feedback_app.crypto import is_narrative
from feedback_app.extensions import db
from feedback_app.models import CommentGloss, NarrativeKeyPair, Quote, Response
from feedback_app.services.insight import comments, quotes
from feedback_app.services.responses import narrative_batches, narrative_keys, store
from feedback_app.services.staff import narrative_access
from tests.conftest import running_app
from tests.helpers import narratives
from tests.helpers.responses import store as store_response
from tests.helpers.staff import PASSWORD, make_account

WORDS = {"age": "age_25_34", "services": ["police"], "helpful.police": "Quick to come", "anything_else": "Osprey words"}


class Interrupted(Exception):
    pass


@pytest.fixture
def old_site(test_database):
    """A site with words stored before narrative keys existed (keyring-sealed)."""
    with running_app(test_database, narratives=False) as app:
        yield app


def _old_data():
    ids = [store_response(WORDS) for _ in range(5)] + [store_response()]  # the last one has no words
    author, _ = make_account("coordinator")
    comments.save_gloss(ids[0], "helpful.police", "Gloss of osprey")
    draft, _ = quotes.propose(ids[1], "anything_else", author)
    approved, _ = quotes.propose(ids[2], "anything_else", author)
    quotes.approve(approved, "Approved osprey words", author)
    return ids, draft, approved


def test_migrate_interrupted_then_resumed_moves_every_word(old_site):
    ids, draft, approved = _old_data()
    left = narrative_batches.words_left()
    assert (left.payloads, left.glosses, left.drafts) == (5, 1, 1)
    runner = old_site.test_cli_runner()
    printed = runner.invoke(args=["narratives", "init"]).output
    [recovery] = [line.strip() for line in printed.splitlines() if line.strip().startswith("FBREC1-")]
    public = narrative_keys.current_public_key()

    def stop_after_first_batch(done, total):
        raise Interrupted

    with pytest.raises(Interrupted):
        narrative_batches.migrate(public, batch_size=2, progress=stop_after_first_batch)
    # The first batch of two (by id; one may be the response without words) is kept, no more.
    assert narrative_batches.words_left().payloads in (3, 4)
    result = runner.invoke(args=["narratives", "migrate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "no response, gloss or quote draft sealed with the server's keyring holds words" in result.output
    assert narrative_batches.words_left().total == 0
    rows = {r.id: r for r in db.session.scalars(select(Response))}
    assert all(is_narrative(rows[i].narrative) for i in ids[:5]) and rows[ids[5]].narrative is None
    assert is_narrative(db.session.scalars(select(CommentGloss.gloss)).one())
    assert is_narrative(db.session.get(Quote, draft.id).text)
    assert not is_narrative(db.session.get(Quote, approved.id).text)  # meant for publication
    narratives.lock_for_test()
    assert "anything_else" not in store.open_answers(rows[ids[0]])
    recovered = narrative_access.openers_from_recovery(recovery)
    narrative_keys.use_openers(list(recovered.values()))
    assert store.open_answers(rows[ids[0]]) == WORDS
    assert comments.glosses_for([(ids[0], "helpful.police")]) == {(ids[0], "helpful.police"): "Gloss of osprey"}


def test_init_prints_the_recovery_key_once_and_refuses_a_second_time(old_site):
    runner = old_site.test_cli_runner()
    first = runner.invoke(args=["narratives", "init"])
    assert first.exit_code == 0 and "RECOVERY KEY" in first.output
    [line] = [line.strip() for line in first.output.splitlines() if line.strip().startswith("FBREC1-")]
    assert narrative_access.openers_from_recovery(line)
    again = runner.invoke(args=["narratives", "init"])
    assert again.exit_code == 1 and "already exist" in again.output and "FBREC1" not in again.output
    status = runner.invoke(args=["narratives", "status"])
    assert "current" in status.output and "responses with no narrative" in status.output


def test_recover_gives_a_coordinator_access(old_site):
    runner = old_site.test_cli_runner()
    printed = runner.invoke(args=["narratives", "init"]).output
    [recovery] = [line.strip() for line in printed.splitlines() if line.strip().startswith("FBREC1-")]
    first, _ = make_account("coordinator", "first@example.org")
    wrong = runner.invoke(args=["narratives", "recover", "--email", first.email], input="FBREC1-AAAA\n")
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output
    passphrase = "a passphrase chosen together"
    result = runner.invoke(
        args=["narratives", "recover", "--email", first.email], input=f"{recovery}\n{passphrase}\n{passphrase}\n"
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(first)
    assert first.must_change_password and len(narrative_access.unlock(first, passphrase)) == 1
    # A coordinator with a locker is granted to their inbox instead.
    second, _ = make_account("coordinator", "second@example.org")
    narrative_access.unlock(second, PASSWORD)
    result = runner.invoke(args=["narratives", "recover", "--email", second.email], input=f"{recovery}\n")
    assert result.exit_code == 0 and "next sign-in" in result.output
    assert narrative_access.access_of(second) == "granted" and len(narrative_access.unlock(second, PASSWORD)) == 1


def test_rotate_interrupted_then_resumed_reseals_everything(app):
    ids = [store_response(WORDS) for _ in range(5)]
    author, _ = make_account("coordinator")
    comments.save_gloss(ids[0], "helpful.police", "Gloss of osprey")
    draft, _ = quotes.propose(ids[1], "anything_else", author)
    old = narratives.opener()
    runner = app.test_cli_runner()
    # Started from the command line with a coordinator's password, stopped after one batch.
    new_pair, new_opener = narrative_access.rotate_pair({old.key_id: old}, "test")
    narrative_keys.forget_public_key()
    openers = {old.key_id: old, new_opener.key_id: new_opener}

    def stop(*_):
        raise Interrupted

    with pytest.raises(Interrupted):
        narrative_batches.rotate(openers, new_opener.public_key(), batch_size=2, after_batch=stop)
    assert narrative_batches.pending_rotation(new_pair.id) == 5  # 3 responses, a gloss, a draft
    refused = runner.invoke(args=["narratives", "rotate"], input="y\n" + narratives.recovery_key() + "\n")
    assert refused.exit_code == 1 and "--resume" in refused.output
    resumed = runner.invoke(
        args=["narratives", "rotate", "--resume", "--batch-size", "2"], input=f"n\n{author.email}\n{PASSWORD}\n"
    )
    assert resumed.exit_code == 0, resumed.output
    assert narrative_batches.pending_rotation(new_pair.id) == 0
    assert db.session.get(NarrativeKeyPair, old.key_id).retired_at is not None
    assert {r.narrative_key_id for r in db.session.scalars(select(Response))} == {new_pair.id}
    # The author held the old key, so they were given the new one; the old key opens nothing now.
    narratives.lock_for_test()
    narrative_keys.use_openers(narrative_access.unlock(author, PASSWORD))
    row = db.session.get(Response, ids[4])
    assert store.open_answers(row) == WORDS
    assert quotes.quote_text(db.session.get(Quote, draft.id))
    narrative_keys.use_openers([old])
    assert "anything_else" not in store.open_answers(row)
    with pytest.raises(narrative_keys.NarrativesLocked):
        store.open_answers(row, words_required=True)
