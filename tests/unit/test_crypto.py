import os
import stat

import pytest

from feedback_app import crypto
from feedback_app.crypto import (
    CryptoError,
    Keyring,
    KeyringError,
    MalformedBlob,
    OpenFailed,
    UnknownKey,
)

PLACE = "response:0b9d3a4e-0000-4000-8000-000000000001:payload"


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()


def test_round_trip(keyring):
    secret = "Ich habe Angst – być bezpiecznym – saugus".encode()
    blob = keyring.seal(secret, PLACE)
    assert secret not in blob
    assert keyring.open(blob, PLACE) == secret


def test_each_seal_uses_a_fresh_nonce(keyring):
    first, second = keyring.seal(b"same", PLACE), keyring.seal(b"same", PLACE)
    assert first != second
    assert first[5:17] != second[5:17]


def test_blob_names_version_and_primary_key(keyring):
    blob = keyring.seal(b"x", PLACE)
    assert blob[0] == crypto.BLOB_VERSION
    assert crypto.blob_key_id(blob) == keyring.primary
    assert len(blob) == crypto.HEADER_BYTES + 1 + crypto.TAG_BYTES


@pytest.mark.parametrize("position", [5, 12, 17, 18, -1])
def test_tampered_blob_does_not_open(keyring, position):
    blob = bytearray(keyring.seal(b"the answer", PLACE))
    blob[position] ^= 0x01
    with pytest.raises(OpenFailed) as caught:
        keyring.open(bytes(blob), PLACE)
    assert "altered or belongs elsewhere" in str(caught.value)


def test_blob_from_another_row_does_not_open(keyring):
    blob = keyring.seal(b"the answer", PLACE)
    with pytest.raises(OpenFailed):
        keyring.open(blob, PLACE.replace("0001", "0002"))


def test_wrong_key_with_the_same_id_does_not_open(keyring):
    impostor = Keyring(primary=keyring.primary, keys={keyring.primary: os.urandom(32)})
    with pytest.raises(OpenFailed):
        impostor.open(keyring.seal(b"x", PLACE), PLACE)


def test_unknown_key_id(keyring):
    other = Keyring.generate()
    with pytest.raises(UnknownKey) as caught:
        keyring.open(other.seal(b"x", PLACE), PLACE)
    assert other.primary in str(caught.value)


@pytest.mark.parametrize("blob", [b"", b"\x01short", b"\x07" + bytes(40), "text"])
def test_malformed_blobs(keyring, blob):
    with pytest.raises(MalformedBlob):
        keyring.open(blob, PLACE)


def test_every_error_is_a_crypto_error():
    for error in (KeyringError, MalformedBlob, UnknownKey, OpenFailed):
        assert issubclass(error, CryptoError)


def test_new_primary_still_opens_old_blobs(keyring):
    old_blob = keyring.seal(b"old", PLACE)
    rotated = keyring.with_new_primary()
    assert rotated.primary != keyring.primary
    assert rotated.open(old_blob, PLACE) == b"old"
    new_blob = rotated.reseal(old_blob, PLACE)
    assert crypto.blob_key_id(new_blob) == rotated.primary
    assert rotated.open(new_blob, PLACE) == b"old"


def test_primary_key_cannot_be_retired(keyring):
    with pytest.raises(KeyringError):
        keyring.without(keyring.primary)


def test_keyring_file_round_trip_is_private(tmp_path, keyring):
    path = tmp_path / "nested" / "keyring.json"
    keyring.write_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = Keyring.from_file(path)
    assert loaded.primary == keyring.primary
    assert loaded.open(keyring.seal(b"x", PLACE), PLACE) == b"x"


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "{}",
        '{"primary": "abcd0123", "keys": {}}',
        '{"primary": "abcd0123", "keys": {"abcd0123": "!!!not base64"}}',
        '{"primary": "abcd0123", "keys": {"abcd0123": "c2hvcnQ="}}',
        '{"primary": "zz", "keys": {"zz": "' + "A" * 44 + '"}}',
        '{"primary": "abcd0124", "keys": {"abcd0123": "' + "A" * 43 + '="}}',
    ],
)
def test_malformed_keyrings_are_refused(text):
    with pytest.raises(KeyringError):
        Keyring.from_json(text)


def test_missing_key_file(tmp_path):
    with pytest.raises(KeyringError) as caught:
        Keyring.from_file(tmp_path / "absent.json")
    assert "absent.json" in str(caught.value)


def test_keys_never_appear_in_repr(keyring):
    key = next(iter(keyring.keys.values()))
    assert repr(key) not in repr(keyring)
    assert "keys" not in repr(keyring)


def test_only_the_crypto_modules_import_cryptography():
    from pathlib import Path

    package = Path(crypto.__file__).parent
    importers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "import cryptography" in path.read_text() or "from cryptography" in path.read_text()
    ]
    assert sorted(importers) == ["backup_crypto.py", "crypto.py"]
