"""Narratives sealed to a public key, wraps under a password's argon2id key, recovery keys."""

import pytest

from feedback_app import crypto
from feedback_app.crypto import KeyringError, MalformedBlob, NarrativeOpener, OpenFailed, UnknownKey

PLACE = "response:0b9d3a4e000040008000000000000001:narrative"
CHEAP = {"memory_cost": 8, "iterations": 1, "lanes": 1}


@pytest.fixture
def opener() -> NarrativeOpener:
    return NarrativeOpener.generate()


def test_round_trip_with_the_private_key_only(opener):
    words = "Nikt mnie nie słuchał, aż przyszła pani z fundacji.".encode()
    blob = opener.public_key().seal(words, PLACE)
    assert words not in blob
    assert blob[0] == crypto.NARRATIVE_VERSION
    assert crypto.narrative_key_id(blob) == opener.key_id
    assert crypto.is_narrative(blob) and not crypto.is_narrative(crypto.Keyring.generate().seal(b"x", PLACE))
    assert opener.open(blob, PLACE) == words


def test_each_seal_has_its_own_ephemeral_key_and_nonce(opener):
    first, second = (opener.public_key().seal(b"same", PLACE) for _ in range(2))
    assert first[5:37] != second[5:37] and first[37:49] != second[37:49]


def test_a_tampered_narrative_is_refused(opener):
    blob = bytearray(opener.public_key().seal(b"words", PLACE))
    for position in (6, 40, len(blob) - 1):  # ephemeral key, nonce, tag
        altered = bytearray(blob)
        altered[position] ^= 1
        with pytest.raises(crypto.CryptoError):
            opener.open(bytes(altered), PLACE)


def test_a_narrative_at_another_place_does_not_open(opener):
    blob = opener.public_key().seal(b"words", PLACE)
    with pytest.raises(OpenFailed):
        opener.open(blob, PLACE.replace("0001", "0002"))
    with pytest.raises(OpenFailed):
        opener.open(blob, "gloss:1")


def test_another_key_does_not_open_it(opener):
    blob = opener.public_key().seal(b"words", PLACE)
    with pytest.raises(UnknownKey):
        NarrativeOpener.generate().open(blob, PLACE)
    # Same key id, other private key: the tag fails.
    with pytest.raises(OpenFailed):
        NarrativeOpener.generate(opener.key_id).open(blob, PLACE)


def test_a_key_id_changed_in_the_header_does_not_open(opener):
    blob = bytearray(opener.public_key().seal(b"words", PLACE))
    other = NarrativeOpener(bytes(4).hex(), opener.private_bytes())
    blob[1:5] = bytes(4)
    with pytest.raises(OpenFailed):  # the key id is in the HKDF info
        other.open(bytes(blob), PLACE)


def test_malformed_values(opener):
    for value in (b"", b"\x02short", crypto.Keyring.generate().seal(b"x", PLACE), "text"):
        with pytest.raises(MalformedBlob):
            opener.open(value, PLACE)


def test_a_wrap_opens_with_the_same_password_only():
    salt = crypto.new_salt()
    key = crypto.password_key("correct horse battery staple", salt, CHEAP)
    wrapped = crypto.wrap(b"\x01" * 32, key, "locker:a:b")
    assert crypto.unwrap(wrapped, crypto.password_key("correct horse battery staple", salt, CHEAP), "locker:a:b") == b"\x01" * 32
    with pytest.raises(OpenFailed):
        crypto.unwrap(wrapped, crypto.password_key("wrong horse battery staple", salt, CHEAP), "locker:a:b")
    with pytest.raises(OpenFailed):
        crypto.unwrap(wrapped, key, "locker:other:b")


def test_impossible_argon2_parameters_are_refused():
    with pytest.raises(MalformedBlob):
        crypto.password_key("x", crypto.new_salt(), {"memory_cost": 1 << 40, "iterations": 1, "lanes": 1})


def test_recovery_key_text_round_trip_and_typos(opener):
    text = crypto.recovery_key_text(opener.key_id, opener.private_bytes())
    assert text.startswith("FBREC1-")
    again = crypto.recovery_key_from_text(" " + text.lower().replace("-", " ") + " ")
    assert again.key_id == opener.key_id and again.private_bytes() == opener.private_bytes()
    middle = len(text) // 2 if text[len(text) // 2] != "-" else len(text) // 2 + 1
    mistyped = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]
    with pytest.raises(KeyringError):
        crypto.recovery_key_from_text(mistyped)
