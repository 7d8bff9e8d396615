"""The backup file format: keys people can copy from paper, and a chunked encryption that
refuses every change, cut and mix-up with a message saying which it was."""

from __future__ import annotations

import io
import os

import pytest

from feedback_app import backup_crypto as bc

CHEAP = {"memory_cost": 1024, "iterations": 1, "lanes": 1}


def _seal(data: bytes, file_key: bytes, header: dict) -> bytes:
    out = io.BytesIO()
    writer = bc.SealingWriter(out, file_key, header)
    # Written in uneven pieces, as tar writes.
    for start in range(0, len(data), 300_001):
        writer.write(data[start : start + 300_001])
    writer.close()
    return out.getvalue()


def _open(sealed: bytes, key_for) -> bytes:
    source = io.BytesIO(sealed)
    header, preamble = bc.read_header(source)
    reader = bc.OpeningReader(source, key_for(header), header, preamble)
    data = bytearray()
    while block := reader.read(10_240):
        data += block
    return bytes(data)


@pytest.fixture
def sealed_to_key():
    private = bc.BackupPrivateKey.generate()
    data = os.urandom(int(2.5 * bc.CHUNK_BYTES))  # three chunks, the last one short
    file_key, header = bc.file_key_for_recipient(private.public_key())
    return private, data, _seal(data, file_key, header)


def test_key_text_round_trips_and_survives_spaces_case_and_missing_dashes():
    private = bc.BackupPrivateKey.generate()
    text = private.to_text()
    assert text.startswith("FBKEY1-") and all(len(group) <= 5 for group in text.split("-")[1:])
    assert bc.BackupPrivateKey.from_text(text) == private
    assert bc.BackupPrivateKey.from_text(" " + text.lower().replace("-", " ") + "\n") == private
    public = private.public_key()
    assert bc.BackupPublicKey.from_text(public.to_text()) == public


def test_a_key_with_a_typing_mistake_or_of_the_wrong_kind_is_refused():
    text = bc.BackupPrivateKey.generate().to_text()
    last = text[-1]
    typo = text[:-1] + ("A" if last != "A" else "B")
    with pytest.raises(bc.BadBackupKey, match="typing mistake"):
        bc.BackupPrivateKey.from_text(typo)
    with pytest.raises(bc.BadBackupKey, match="should have 56 characters after FBKEY1, not 51"):
        bc.BackupPrivateKey.from_text(text[:-6])
    with pytest.raises(bc.BadBackupKey, match="starts with FBPUB1"):
        bc.BackupPublicKey.from_text(text)  # the private key where the public one belongs
    with pytest.raises(bc.BadBackupKey, match="does not belong"):
        bc.BackupPrivateKey.from_text(text[:8] + "1" + text[9:])  # 1 is not in base32


def test_only_the_matching_private_key_opens_a_backup(sealed_to_key):
    private, data, sealed = sealed_to_key
    assert _open(sealed, lambda h: bc.file_key_from_private(h, private)) == data
    other = bc.BackupPrivateKey.generate()
    with pytest.raises(bc.WrongBackupKey, match=f"made for backup key {private.public_key().fingerprint}"):
        _open(sealed, lambda h: bc.file_key_from_private(h, other))
    with pytest.raises(bc.WrongBackupKey, match="made for a backup key, not a passphrase"):
        _open(sealed, lambda h: bc.file_key_from_passphrase(h, "a long enough passphrase"))


def test_a_passphrase_backup_opens_with_its_passphrase_only():
    data = b"database bytes " * 1000
    file_key, header = bc.file_key_for_passphrase("correct horse battery staple", CHEAP)
    sealed = _seal(data, file_key, header)
    assert b"database bytes" not in sealed
    assert _open(sealed, lambda h: bc.file_key_from_passphrase(h, "correct horse battery staple")) == data
    with pytest.raises(bc.WrongBackupKey, match="not the key or passphrase"):
        _open(sealed, lambda h: bc.file_key_from_passphrase(h, "correct horse battery stapler"))


def test_a_short_passphrase_is_refused():
    with pytest.raises(bc.BackupError, match="at least 12 characters"):
        bc.file_key_for_passphrase("short one")


def test_the_default_passphrase_settings_are_argon2id_at_rfc_9106_strength():
    _key, header = bc.file_key_for_passphrase("correct horse battery staple")
    assert header["kind"] == "passphrase" and header["memory_cost"] == 65536 and header["iterations"] == 3


@pytest.mark.parametrize(
    "cut, message",
    [
        (lambda n, c: c - 10, "cut off"),  # inside the first chunk
        (lambda n, c: c + 4 + bc.CHUNK_BYTES + bc.TAG_BYTES, "cut off"),  # exactly after a whole chunk
        (lambda n, c: n - 1, "cut off"),  # one byte short of the end
        (lambda n, c: 20, "cut off"),  # inside the header
    ],
    ids=["mid-chunk", "chunk-boundary", "last-byte", "header"],
)
def test_a_cut_off_backup_is_refused(sealed_to_key, cut, message):
    private, _data, sealed = sealed_to_key
    preamble_end = len(bc.read_header(io.BytesIO(sealed))[1])
    with pytest.raises(bc.DamagedBackup, match=message):
        _open(sealed[: cut(len(sealed), preamble_end)], lambda h: bc.file_key_from_private(h, private))


def test_any_changed_byte_is_refused(sealed_to_key):
    private, _data, sealed = sealed_to_key
    preamble = len(bc.read_header(io.BytesIO(sealed))[1])
    for position in (preamble + 4 + 100, len(sealed) // 2, len(sealed) - 1):
        changed = bytearray(sealed)
        changed[position] ^= 0x80
        with pytest.raises(bc.DamagedBackup, match="altered or damaged"):
            _open(bytes(changed), lambda h: bc.file_key_from_private(h, private))


def test_chunks_reordered_or_extra_bytes_after_the_end_are_refused(sealed_to_key):
    private, _data, sealed = sealed_to_key
    preamble = len(bc.read_header(io.BytesIO(sealed))[1])
    size = 4 + bc.CHUNK_BYTES + bc.TAG_BYTES
    first, second = sealed[preamble : preamble + size], sealed[preamble + size : preamble + 2 * size]
    swapped = sealed[:preamble] + second + first + sealed[preamble + 2 * size :]
    with pytest.raises(bc.DamagedBackup, match="altered or damaged"):
        _open(swapped, lambda h: bc.file_key_from_private(h, private))
    with pytest.raises(bc.DamagedBackup, match="added after its end"):
        _open(sealed + b"\x00", lambda h: bc.file_key_from_private(h, private))


def test_a_header_from_another_backup_does_not_open_this_ones_chunks():
    data = b"x" * 5000
    key_one, header_one = bc.file_key_for_passphrase("correct horse battery staple", CHEAP)
    key_two, header_two = bc.file_key_for_passphrase("correct horse battery staple", CHEAP)
    one, two = _seal(data, key_one, header_one), _seal(data, key_two, header_two)
    preamble_one = len(bc.read_header(io.BytesIO(one))[1])
    preamble_two = len(bc.read_header(io.BytesIO(two))[1])
    mixed = two[:preamble_two] + one[preamble_one:]
    with pytest.raises(bc.DamagedBackup, match="altered or damaged"):
        _open(mixed, lambda h: bc.file_key_from_passphrase(h, "correct horse battery staple"))


def test_something_that_is_not_a_backup_is_named_as_such():
    with pytest.raises(bc.NotABackup, match="not a backup"):
        bc.read_header(io.BytesIO(b"SQLite format 3\x00" + bytes(100)))
