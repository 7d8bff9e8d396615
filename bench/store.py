"""How fast responses are stored (sealed) and opened again, on SQLite and PostgreSQL.

Run from the project root::

    .venv/bin/python -m bench.store [--responses N] [--open N] [--rounds R] [--databases sqlite,postgresql]

Part 1, store: responses stored per second through the service layer (``store_response``:
JSON encode + AES-256-GCM seal + ORM insert + one commit per response, as a real submission)
against a plaintext reference that does the same with the JSON bytes unsealed (same model,
same rows, same commit pattern, ``key_id="plain"``). A third, diagnostic variant seals with
``build_response`` and commits but does not read the row back as ``store_response`` does.
Within each round the variants alternate in small blocks (the one going first rotates), so
disk and cache conditions hit all of them alike; each variant's rate is the median of rounds.
Target: encryption costs less than 10% of store throughput.

Part 2, open: ``--open`` sealed responses are inserted in bulk (setup, not measured), then
read back in streamed batches (``yield_per``) with and without ``open_response``, and the
AES-GCM open and ``open_response`` of already-fetched rows are timed on their own.

Part 3, narratives: the cost of sealing one response's answers when its free text is also
sealed to the narrative public key (X25519 + HKDF + AES-GCM, ``store.seal_into``) beside
sealing them with the keyring only (today's figures before ``flask narratives init``), in
memory, and ``store_response`` per second both ways (target: under 1 ms added per response).

Every database is a throwaway one (a temporary SQLite file; a PostgreSQL database created for
the run and dropped afterwards). Nothing is asserted: the script prints tables.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from bench.common import (
    dispose_engines,
    fmt_pct,
    fmt_rate,
    fmt_us,
    heading,
    make_app,
    median,
    migrate_schema,
    print_table,
    print_versions,
    rate,
    throwaway_database,
)

TARGET_COST = 0.10  # encryption must cost less than 10% of store throughput
SURVEY = dict(survey_slug="adult", survey_version=1, collection_mode="online")


# -- realistic answers ------------------------------------------------------------------------
AGES = ["age_16_24", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65_plus", "prefer_not_to_say"]
GENDERS = ["woman", "man", "another_way", "prefer_not_to_say"]
AREAS = [
    "cambridge_city", "east_cambridgeshire", "fenland", "huntingdonshire",
    "south_cambridgeshire", "peterborough", "outside_area", "prefer_not_to_say",
]
SERVICES = [
    "police", "childrens_services", "idva", "specialist_da", "refuge",
    "housing", "health", "victim_witness_hub", "sexual_violence", "other",
]
RATINGS = ["yes", "sometimes", "no", "prefer_not_to_say"]
SEEK_SUPPORT = [
    "anonymity", "own_language", "counselling", "mental_health",
    "self_defence", "campaigns", "online_contact", "other",
]
PREFERRED = ["phone", "face_to_face", "online_chat", "text_message", "email", "group"]

TEXT = {
    "en": {
        "helpful": [
            "The officer who came out listened to me properly and explained what would happen next, "
            "step by step. I didn't feel judged, and she gave me a number to call if he came back.",
            "My IDVA rang me every week and came with me to court. Having someone who knew the "
            "process made me feel I wasn't on my own with it any more.",
            "They found me a safe room the same night and the staff were kind to my children.",
        ],
        "better": [
            "I had to tell my story three times to three different people. It would help if they "
            "wrote it down once and shared it, so I didn't have to go through it all again.",
            "Nobody called me back for two weeks after the first visit, and I didn't know whether "
            "anything was happening. A short text message would have been enough.",
            "Appointments in the evening, please. I couldn't take time off work without explaining why.",
        ],
        "anything_else": [
            "Thank you for asking. I hope this helps someone else get help sooner than I did; it took "
            "me years to tell anyone, and when I finally did, the first person I spoke to believed me.",
            "Please make the leaflets clearer about what happens to the information you give. I was "
            "scared it would go straight to social services and they would take my kids away.",
        ],
    },
    "pl": {
        "helpful": [
            "Policjantka była bardzo cierpliwa i wytłumaczyła mi wszystko przez tłumacza. Poczułam się "
            "bezpieczniej, kiedy dała mi numer, pod który mogę dzwonić w nocy.",
            "Doradczyni z organizacji pomogła mi wypełnić wniosek o mieszkanie i poszła ze mną do sądu. "
            "Bez niej nie dałabym rady.",
        ],
        "better": [
            "Musiałam długo czekać na tłumacza, a mój angielski nie jest wystarczająco dobry, żeby "
            "opowiedzieć o tym, co się stało. Chciałabym, żeby ktoś mówiący po polsku był dostępny od razu.",
            "Nikt do mnie nie zadzwonił po pierwszej wizycie. Krótka wiadomość, że sprawa się toczy, "
            "bardzo by mi pomogła. Czułam się zapomniana.",
        ],
        "anything_else": [
            "Dziękuję za tę ankietę. Mam nadzieję, że dzięki niej inne kobiety szybciej dostaną pomoc; "
            "ja przez długi czas nie wiedziałam, że w ogóle mogę o nią prosić, i bałam się, że stracę pracę.",
            "Ulotki powinny być po polsku i dostępne w przychodni, w szkole i w sklepie. Żółć, gęś, źdźbło.",
        ],
    },
    "lt": {
        "helpful": [
            "Policininkė mane išklausė ir paaiškino, kokią pagalbą galiu gauti. Jaučiausi saugiau, kai "
            "ji davė telefono numerį, kuriuo galiu skambinti bet kuriuo paros metu.",
            "Konsultantė padėjo užpildyti dokumentus būstui gauti ir nuėjo kartu su manimi į teismą.",
        ],
        "better": [
            "Būtų geriau, jei informacija būtų lietuvių kalba. Vertėjo teko laukti kelias valandas, o "
            "vaikai buvo pavargę ir išsigandę. Norėčiau, kad kas nors paskambintų po savaitės.",
            "Po pirmo susitikimo niekas su manimi nesusisiekė dvi savaites. Trumpa žinutė būtų užtekusi.",
        ],
        "anything_else": [
            "Ačiū, kad klausiate. Tikiuosi, kad tai padės kitoms moterims greičiau gauti pagalbą; aš "
            "ilgai nežinojau, kur kreiptis, ir bijojau, kad niekas manimi nepatikės. Ąžuolas, ėžys, ūkis.",
            "Lankstinukai turėtų būti ir lietuvių kalba, gydytojo kabinete bei mokykloje.",
        ],
    },
}


def make_answers(rng: random.Random) -> tuple[str, dict]:
    """One adult survey answer set (about 1-2 KB of JSON) and the language it was given in."""
    language = rng.choices(["en", "pl", "lt"], weights=[6, 2, 2])[0]
    text = TEXT[language]
    services = sorted(rng.sample(SERVICES, rng.randint(2, 4)))
    answers: dict = {
        "age": rng.choice(AGES),
        "gender": rng.choice(GENDERS),
        "area": rng.choice(AREAS),
        "services": services,
    }
    for service in services:
        answers[f"listened.{service}"] = rng.choice(RATINGS)
        answers[f"safer.{service}"] = rng.choice(RATINGS)
        if rng.random() < 0.85:
            answers[f"helpful.{service}"] = rng.choice(text["helpful"])
        if rng.random() < 0.75:
            answers[f"better.{service}"] = rng.choice(text["better"])
    answers["seek_support"] = sorted(rng.sample(SEEK_SUPPORT, rng.randint(1, 4)))
    answers["preferred_support"] = sorted(rng.sample(PREFERRED, rng.randint(1, 3)))
    if rng.random() < 0.8:
        answers["anything_else"] = rng.choice(text["anything_else"])
    return language, answers


@dataclass
class AnswerPool:
    items: list[tuple[str, dict]]
    next_index: int = 0

    @classmethod
    def build(cls, seed: int, size: int = 500) -> AnswerPool:
        rng = random.Random(seed)
        return cls([make_answers(rng) for _ in range(size)])

    def take(self, count: int) -> list[tuple[str, dict]]:
        out = [self.items[(self.next_index + i) % len(self.items)] for i in range(count)]
        self.next_index = (self.next_index + count) % len(self.items)
        return out


# -- part 1: storing ----------------------------------------------------------------------------
def store_sealed(batch: list[tuple[str, dict]]) -> None:
    """The real thing: ``store_response`` once per response (one commit each)."""
    from feedback_app.services.responses.submissions import store_response

    for language, answers in batch:
        store_response(language=language, answers=answers, **SURVEY)


def store_plain(batch: list[tuple[str, dict]]) -> None:
    """``store_response`` minus the seal: same row, same checks, same add + commit."""
    from sqlalchemy.exc import IntegrityError

    from feedback_app.extensions import db
    from feedback_app.models import COLLECTION_MODES, Response
    from feedback_app.services.responses.store import encode_answers
    from feedback_app.services.responses.submissions import week_of

    for language, answers in batch:
        collection_mode = SURVEY["collection_mode"]
        if collection_mode not in COLLECTION_MODES:
            raise ValueError(collection_mode)
        response = Response(
            id=uuid.uuid4(),
            survey_slug=SURVEY["survey_slug"],
            survey_version=SURVEY["survey_version"],
            language=language,
            collection_mode=collection_mode,
            organisation=None,
            submitted_week=week_of(date.today()),
            key_id="plain",
            payload=encode_answers(answers),
            is_demo=False,
        )
        db.session.add(response)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise


def store_sealed_no_reread(batch: list[tuple[str, dict]]) -> None:
    """Diagnostic: ``build_response`` + add + commit, i.e. ``store_response`` without reading
    ``response.id`` back after the commit (which, with expire-on-commit, re-SELECTs the row).
    The only difference from ``store_plain`` is then the seal itself."""
    from feedback_app.extensions import db
    from feedback_app.services.responses.submissions import build_response

    for language, answers in batch:
        db.session.add(build_response(language=language, answers=answers, **SURVEY))
        db.session.commit()


SIDES = {
    "plain": store_plain,
    "sealed": store_sealed,
    "no_reread": store_sealed_no_reread,
}
SIDE_LABELS = {"plain": "plaintext", "sealed": "encrypted", "no_reread": "no re-read"}


def timed(fn, *args) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def seal_only_seconds(batch: list[tuple[str, dict]], passes: int = 5) -> float:
    """Median seconds per response for ``keyring.seal`` alone (the only extra work when sealing)."""
    from feedback_app.services.responses.keyring import current_keyring
    from feedback_app.services.responses.store import encode_answers, payload_place

    encoded = [(encode_answers(answers), payload_place(uuid.uuid4())) for _, answers in batch]

    def run() -> None:
        keyring = current_keyring()
        for plaintext, place in encoded:
            keyring.seal(plaintext, place)

    return median([timed(run) for _ in range(passes)]) / len(batch)


@dataclass
class StoreResult:
    database: str
    per_round: int
    rounds: int
    rates: dict[str, list[float]] = field(default_factory=lambda: {side: [] for side in SIDES})
    seal_seconds: float = 0.0

    @property
    def sealed(self) -> float:
        return median(self.rates["sealed"])

    @property
    def plain(self) -> float:
        return median(self.rates["plain"])

    @property
    def no_reread(self) -> float:
        return median(self.rates["no_reread"])

    @property
    def cost(self) -> float:
        """Share of plaintext store throughput lost by ``store_response`` (the target)."""
        return 1 - self.sealed / self.plain

    @property
    def no_reread_cost(self) -> float:
        return 1 - self.no_reread / self.plain

    @property
    def paired_costs(self) -> list[float]:
        return [1 - s / p for s, p in zip(self.rates["sealed"], self.rates["plain"])]

    @property
    def seal_share(self) -> float:
        """The seal's own time as a share of one plaintext store (noise-free estimate)."""
        return self.seal_seconds * self.plain


def bench_store(label: str, pool: AnswerPool, responses: int, rounds: int, block: int) -> StoreResult:
    """Each round interleaves the variants in blocks of ``block`` responses, rotating which goes
    first block by block, so that every variant sees the same disk and cache conditions; a
    variant's rate for the round is its responses over its summed time."""
    per_round = max(block, responses // rounds // block * block)
    result = StoreResult(database=label, per_round=per_round, rounds=rounds)
    # Warm-up, not measured: connection pool, statement caches, first pages of the table.
    for fn in SIDES.values():
        fn(pool.take(30))
    names = list(SIDES)
    for round_number in range(rounds):
        seconds = {side: 0.0 for side in names}
        for block_number in range(per_round // block):
            shift = (round_number + block_number) % len(names)
            for side in names[shift:] + names[:shift]:
                seconds[side] += timed(SIDES[side], pool.take(block))
        for side in names:
            result.rates[side].append(rate(per_round, seconds[side]))
        progress(
            f"  {label}: store round {round_number + 1}/{rounds}: "
            + ", ".join(f"{SIDE_LABELS[side]} {fmt_rate(result.rates[side][-1])}/s" for side in names)
        )
    result.seal_seconds = seal_only_seconds(pool.take(min(len(pool.items), 2000)))
    return result


# -- part 2: opening ----------------------------------------------------------------------------
@dataclass
class OpenResult:
    database: str
    rows: int
    setup_seconds: float
    yield_per: int
    fetch: list[float] = field(default_factory=list)
    fetch_open: list[float] = field(default_factory=list)
    aes_only: list[float] = field(default_factory=list)
    open_only: list[float] = field(default_factory=list)


def empty_responses() -> None:
    from sqlalchemy import text

    from feedback_app.extensions import db

    db.session.remove()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE responses"))
        else:
            connection.execute(text("DELETE FROM responses"))


def analyse_responses() -> None:
    """Fresh statistics (and, on PostgreSQL, set hint bits / visibility map) after the bulk load,
    so the first timed pass does not pay for it."""
    from sqlalchemy import text

    from feedback_app.extensions import db

    db.session.remove()
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        if connection.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE responses"))
        else:
            connection.execute(text("ANALYZE"))


def bulk_insert_sealed(pool: AnswerPool, count: int, chunk: int = 5000) -> float:
    """Insert ``count`` sealed responses made by ``build_response``, ``chunk`` rows per bulk
    INSERT (executemany) and commit (setup, not measured; returns seconds)."""
    from feedback_app.extensions import db
    from feedback_app.models import Response
    from feedback_app.services.responses.submissions import build_response

    columns = [column.key for column in Response.__table__.columns]
    weeks = [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26), date(2026, 2, 2)]
    start = time.perf_counter()
    done = 0
    while done < count:
        size = min(chunk, count - done)
        rows = []
        for i, (language, answers) in enumerate(pool.take(size)):
            response = build_response(
                language=language, answers=answers, submitted_on=weeks[(done + i) % len(weeks)], **SURVEY
            )
            rows.append({key: getattr(response, key) for key in columns})
        db.session.execute(Response.__table__.insert(), rows)
        db.session.commit()
        done += size
    db.session.remove()
    return time.perf_counter() - start


def read_fetch_only(yield_per: int) -> int:
    """Stream every row as an ORM object, touching the payload, decrypting nothing."""
    from sqlalchemy import select

    from feedback_app.extensions import db
    from feedback_app.models import Response

    count = 0
    size = 0
    for response in db.session.execute(select(Response).execution_options(yield_per=yield_per)).scalars():
        size += len(response.payload)
        count += 1
    return count


def read_and_open(yield_per: int) -> int:
    """Stream every row and ``open_response`` it (AES-GCM open + JSON decode)."""
    from sqlalchemy import select

    from feedback_app.extensions import db
    from feedback_app.models import Response
    from feedback_app.services.responses.submissions import open_response

    count = 0
    size = 0
    for response in db.session.execute(select(Response).execution_options(yield_per=yield_per)).scalars():
        size += len(open_response(response).answers)
        count += 1
    return count


def timed_read(fn, yield_per: int, expected: int) -> float:
    from feedback_app.extensions import db

    gc.collect()
    start = time.perf_counter()
    count = fn(yield_per)
    elapsed = time.perf_counter() - start
    db.session.remove()
    if count != expected:
        raise RuntimeError(f"{fn.__name__} read {count} rows, expected {expected}")
    return elapsed


def bench_open(label: str, pool: AnswerPool, count: int, rounds: int, yield_per: int) -> OpenResult:
    from sqlalchemy import select

    from feedback_app.extensions import db
    from feedback_app.models import Response
    from feedback_app.services.responses.keyring import current_keyring
    from feedback_app.services.responses.store import payload_place
    from feedback_app.services.responses.submissions import open_response

    empty_responses()
    progress(f"  {label}: inserting {count:,} sealed responses in bulk (setup) ...")
    setup = bulk_insert_sealed(pool, count)
    analyse_responses()
    result = OpenResult(database=label, rows=count, setup_seconds=setup, yield_per=yield_per)

    # Warm-up pass (not measured) so the first timed pass does not pay for a cold cache.
    timed_read(read_fetch_only, yield_per, count)
    for round_number in range(rounds):
        order = ("fetch", "open") if round_number % 2 == 0 else ("open", "fetch")
        for side in order:
            if side == "fetch":
                result.fetch.append(timed_read(read_fetch_only, yield_per, count))
            else:
                result.fetch_open.append(timed_read(read_and_open, yield_per, count))
        progress(
            f"  {label}: read round {round_number + 1}/{rounds}: fetch {result.fetch[-1]:.2f}s, "
            f"fetch+open {result.fetch_open[-1]:.2f}s"
        )

    # Already-fetched rows: time the decryption on its own.
    rows = db.session.execute(select(Response)).scalars().all()
    blobs = [(bytes(r.payload), payload_place(r.id)) for r in rows]
    keyring = current_keyring()

    def aes_only() -> None:
        for blob, place in blobs:
            keyring.open(blob, place)

    def open_only() -> None:
        for response in rows:
            open_response(response)

    for _ in range(rounds):
        result.aes_only.append(timed(aes_only))
        result.open_only.append(timed(open_only))
    del rows, blobs
    db.session.remove()
    return result


# -- part 3: narratives ------------------------------------------------------------------------
@dataclass
class NarrativeResult:
    database: str
    responses: int
    keyring_seal: float = 0.0  # seconds per response, seal_into without a narrative key
    narrative_seal: float = 0.0  # seconds per response, seal_into with one
    keyring_store: list[float] = field(default_factory=list)  # store_response per second
    narrative_store: list[float] = field(default_factory=list)


def _seal_into_seconds(batch: list[tuple[str, dict]], passes: int = 5) -> float:
    from feedback_app.models import Response
    from feedback_app.services.responses import store

    rows = [Response(id=uuid.uuid4(), survey_slug="adult") for _ in batch]

    def run() -> None:
        for row, (_language, answers) in zip(rows, batch):
            store.seal_into(row, answers)

    return median([timed(run) for _ in range(passes)]) / len(batch)


def bench_narratives(label: str, pool: AnswerPool, responses: int, rounds: int) -> NarrativeResult:
    """Keyring only first (no narrative key: free text sealed with the keyring, as before),
    then with a narrative key pair, alternating round by round for ``store_response``."""
    from feedback_app.services.responses import narrative_keys
    from feedback_app.services.staff import narrative_access

    result = NarrativeResult(database=label, responses=responses)
    batch = pool.take(min(len(pool.items), 500))
    narrative_keys.forget_public_key()
    if narrative_keys.current_public_key() is None:
        narrative_access.initialise("bench")
    pair_public = narrative_keys.current_public_key()

    def use(with_narratives: bool) -> None:
        from flask import g

        narrative_keys.forget_public_key()
        # The store reads the public key once per request (``g``): set it to none or the pair's.
        setattr(g, narrative_keys._PUBLIC, pair_public if with_narratives else None)

    use(False)
    result.keyring_seal = _seal_into_seconds(batch)
    use(True)
    result.narrative_seal = _seal_into_seconds(batch)
    per_round = max(1, responses // rounds)
    for round_number in range(rounds):
        for side in ((False, True) if round_number % 2 == 0 else (True, False)):
            use(side)
            seconds = timed(store_sealed, pool.take(per_round))
            (result.narrative_store if side else result.keyring_store).append(rate(per_round, seconds))
    use(True)
    return result


def report_narratives(results: list[NarrativeResult]) -> None:
    heading("3. Narratives: free text sealed to the narrative public key")
    print_table(
        "Sealing one response (seal_into, in memory) and storing (store_response), keyring only vs keyring + narrative",
        ["database", "seal, keyring only", "seal, + narrative", "added per response",
         "stored/s keyring only", "stored/s + narrative", "target"],
        [
            [
                r.database,
                fmt_us(r.keyring_seal),
                fmt_us(r.narrative_seal),
                fmt_us(r.narrative_seal - r.keyring_seal),
                fmt_rate(median(r.keyring_store)),
                fmt_rate(median(r.narrative_store)),
                "< 1 ms added",
            ]
            for r in results
        ],
    )
    for r in results:
        added = r.narrative_seal - r.keyring_seal
        print(f"VERDICT narratives, {r.database}: {fmt_us(added)} added per response -> {'met' if added < 0.001 else 'NOT met'}")


# -- reporting ----------------------------------------------------------------------------------
def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report_store(results: list[StoreResult]) -> None:
    heading("1. Storing responses (one commit per response)")
    print_table(
        "Stored per second, median of rounds (encrypted = store_response; plaintext = same rows, JSON unsealed)",
        ["database", "rounds x n", "encrypted/s", "plaintext/s", "encryption cost", "cost range (rounds)", "target"],
        [
            [
                r.database,
                f"{r.rounds} x {r.per_round:,}",
                fmt_rate(r.sealed),
                fmt_rate(r.plain),
                fmt_pct(r.cost, signed=True),
                f"{fmt_pct(min(r.paired_costs), True)} .. {fmt_pct(max(r.paired_costs), True)}",
                f"< {TARGET_COST:.0%}",
            ]
            for r in results
        ],
    )
    print_table(
        "Where the cost is (diagnostic)",
        [
            "database", "sealed, no re-read/s", "cost vs plaintext",
            "seal alone", "seal / plain store", "store_response extra per row",
        ],
        [
            [
                r.database,
                fmt_rate(r.no_reread),
                fmt_pct(r.no_reread_cost, signed=True),
                fmt_us(r.seal_seconds),
                fmt_pct(r.seal_share),
                fmt_us(1 / r.sealed - 1 / r.plain),
            ]
            for r in results
        ],
    )
    print_table(
        "Per round (stored/s; within a round the variants alternate in blocks, the first one rotating)",
        ["database", "round", "encrypted/s", "no re-read/s", "plaintext/s", "cost"],
        [
            [
                r.database,
                str(i + 1),
                fmt_rate(r.rates["sealed"][i]),
                fmt_rate(r.rates["no_reread"][i]),
                fmt_rate(r.rates["plain"][i]),
                fmt_pct(r.paired_costs[i], signed=True),
            ]
            for r in results
            for i in range(r.rounds)
        ],
    )
    print("encryption cost    = 1 - encrypted/s / plaintext/s (negative: within noise)")
    print("sealed, no re-read = build_response + add + commit: store_response without reading response.id after")
    print("                     the commit (with expire_on_commit that read is a SELECT of the new row)")
    print("seal alone         = keyring.seal per response, in memory; seal / plain store = its share of one")
    print("                     plaintext store")
    print()
    for r in results:
        met = r.cost < TARGET_COST
        line = (
            f"VERDICT store, {r.database}: encryption cost {fmt_pct(r.cost, signed=True)} vs target "
            f"< {TARGET_COST:.0%} -> {'met' if met else 'NOT met'}"
        )
        if not met and r.no_reread_cost < TARGET_COST:
            line += (
                f" (sealing itself costs {fmt_pct(r.no_reread_cost, signed=True)}; the rest is the re-read "
                f"of the row after commit in store_response)"
            )
        print(line)


def report_open(results: list[OpenResult]) -> None:
    heading("2. Opening stored responses")
    rows = []
    for r in results:
        passes = [
            (f"fetch only, streamed (yield_per={r.yield_per:,}), no decryption", median(r.fetch)),
            ("fetch + open_response, streamed", median(r.fetch_open)),
            ("keyring.open only (AES-GCM, fetched blobs)", median(r.aes_only)),
            ("open_response only (AES-GCM + JSON, fetched rows)", median(r.open_only)),
        ]
        for name, seconds in passes:
            rows.append([r.database, name, f"{r.rows:,}", f"{seconds:.2f}", fmt_rate(rate(r.rows, seconds)), fmt_us(seconds / r.rows)])
    print_table(
        "Rows per second, median of rounds",
        ["database", "pass", "rows", "seconds", "rows/s", "per row"],
        rows,
        align="llrrrr",
    )
    for r in results:
        fetch, fetch_open = median(r.fetch), median(r.fetch_open)
        print(
            f"{r.database}: {r.rows:,} payloads opened in {fetch_open:.2f}s "
            f"({fmt_rate(rate(r.rows, fetch_open))}/s); decryption + JSON decode is "
            f"{fmt_pct((fetch_open - fetch) / fetch_open)} of that read "
            f"(AES-GCM alone {fmt_pct(median(r.aes_only) / fetch_open)}). "
            f"Setup: bulk insert of {r.rows:,} sealed rows took {r.setup_seconds:.1f}s."
        )


# -- main -----------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1200,
                        help="responses stored per variant (encrypted, no re-read, plaintext) per database "
                        "(default 1200)")
    parser.add_argument("--rounds", type=int, default=6, help="store rounds (default 6)")
    parser.add_argument("--block", type=int, default=25,
                        help="responses per block; variants alternate block by block (default 25)")
    parser.add_argument("--open", type=int, default=100_000, dest="open_count",
                        help="sealed responses to insert and open per database (default 100000; 0 skips)")
    parser.add_argument("--open-rounds", type=int, default=2,
                        help="rounds of each read pass, order alternating (default 2)")
    parser.add_argument("--yield-per", type=int, default=2000, help="rows per streamed batch (default 2000)")
    parser.add_argument("--narratives", type=int, default=600,
                        help="responses stored each way (keyring only, + narrative) per database (default 600; 0 skips)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql (default both)")
    parser.add_argument("--seed", type=int, default=20261119, help="seed for the generated answers")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    started = time.perf_counter()
    pool = AnswerPool.build(args.seed)

    from feedback_app.services.responses.store import encode_answers

    sizes = sorted(len(encode_answers(a)) for _, a in pool.items)
    per_round = max(args.block, args.responses // args.rounds // args.block * args.block)
    print("Store / open benchmark (bench/store.py)")
    print_versions()
    print(
        f"sizes      : store {args.rounds} rounds x {per_round:,} responses per variant per database, "
        f"interleaved in blocks of {args.block} "
        f"(each of encrypted, no re-read, plaintext: {args.rounds * per_round:,}); "
        f"open {args.open_count:,} rows x {args.open_rounds} rounds, yield_per {args.yield_per:,}"
    )
    print(
        f"payload    : adult survey answers (en/pl/lt free text), JSON {sizes[0]:,}-{sizes[-1]:,} bytes, "
        f"median {sizes[len(sizes) // 2]:,}; sealed adds 33 bytes (header + GCM tag)"
    )

    store_results: list[StoreResult] = []
    open_results: list[OpenResult] = []
    narrative_results: list[NarrativeResult] = []
    skipped_kinds: list[str] = []
    for kind in kinds:
        with throwaway_database(kind) as database:
            if database is None:
                skipped_kinds.append(kind)
                continue
            progress(f"{database.label}: throwaway database ready")
            app = make_app(database.url)
            with app.app_context():
                try:
                    migrate_schema()
                    if args.responses > 0:
                        store_results.append(bench_store(database.label, pool, args.responses, args.rounds, args.block))
                    if args.open_count > 0:
                        open_results.append(
                            bench_open(database.label, pool, args.open_count, args.open_rounds, args.yield_per)
                        )
                    if args.narratives > 0:
                        narrative_results.append(bench_narratives(database.label, pool, args.narratives, args.rounds))
                finally:
                    dispose_engines()

    if store_results:
        report_store(store_results)
    if open_results:
        report_open(open_results)
    if narrative_results:
        report_narratives(narrative_results)
    for kind in skipped_kinds:
        print()
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(kind, kind)
        print(f"*** SKIPPED: {name} (server unreachable) -- its store target is NOT checked ***")
    print()
    print(f"total time : {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
