"""Searching comments in the coding queue: what matching costs on top of opening.

For each size (default 10k and 100k sealed adult responses, each with a police "what
helped" comment in English, Polish or Lithuanian), the queue's one streamed pass
(``comments.list_comments``) is timed:

* **open only**: the queue without a search: every response opened, comments found, no
  matching (the reference);
* **search, rare word**: the same pass, every comment folded and matched against a word
  that few contain (here with the cap on responses opened lifted to the size, so the whole
  period is searched);
* **search, capped**: the same search with the queue's own cap (``SEARCH_OPEN_LIMIT``);
* **search, common word**: a word most comments hold: the pass stops at the cap on matches
  (``SEARCH_MATCH_LIMIT``).

Each line is the median of ``--repeat`` passes, in one process, on a throwaway database
(SQLite file, and PostgreSQL unless ``--sqlite-only``).

Then **a 20-comment coding page** (``list_comments``, page 1, and opening just its 20
comments) on the same rows twice in one run: with free text sealed with the keyring (as
before ``flask narratives init``), then after ``flask narratives migrate`` moved it into
narratives, opened with a coordinator's unlocked key (target: within 1.5x).

    .venv/bin/python -m bench.search [--sizes 10000,100000] [--repeat 3] [--sqlite-only] [--page-sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from bench.aggregates import progress
from bench.common import (
    dispose_engines,
    fmt_rate,
    heading,
    make_app,
    median,
    migrate_schema,
    print_table,
    print_versions,
    throwaway_database,
)

SURVEY = {"survey_slug": "adult", "survey_version": 1, "collection_mode": "online"}
SENTENCES = {
    "en": [
        "The officer came quickly and listened to me, which helped a lot.",
        "She kept me informed about my case and called me back every week.",
        "I felt safer after the visit; they explained the next steps clearly.",
    ],
    "pl": [
        "Policjantka szybko przyjechała i mnie wysłuchała, to bardzo pomogło.",
        "Informowali mnie na bieżąco o mojej sprawie i oddzwaniali co tydzień.",
        "Po wizycie czułam się bezpieczniej, wyjaśnili mi, co dalej.",
    ],
    "lt": [
        "Pareigūnė greitai atvyko ir mane išklausė, tai labai padėjo.",
        "Mane informavo apie mano bylą ir kas savaitę perskambindavo.",
        "Po vizito jaučiausi saugiau, jie paaiškino, ką daryti toliau.",
    ],
}
RARE = "Zebedee"  # put into one comment in a thousand
COMMON = "a"  # in nearly every comment



def insert(count: int, chunk: int = 5000) -> float:
    from feedback_app.extensions import db
    from feedback_app.models import Response
    from feedback_app.services.responses.submissions import build_response

    chooser = random.Random(14)
    columns = [column.key for column in Response.__table__.columns]
    start = time.perf_counter()
    done = 0
    while done < count:
        rows = []
        for number in range(done, min(done + chunk, count)):
            language = chooser.choice(list(SENTENCES))
            text = chooser.choice(SENTENCES[language])
            if number % 1000 == 0:
                text += f" Officer {RARE} was kind."
            answers = {"services": ["police"], "listened.police": "yes", "helpful.police": text}
            response = build_response(language=language, answers=answers, submitted_on=date(2026, 5, 18), **SURVEY)
            rows.append({key: getattr(response, key) for key in columns})
        db.session.execute(Response.__table__.insert(), rows)
        db.session.commit()
        done += len(rows)
    db.session.remove()
    return time.perf_counter() - start


def timed(repeat: int, run) -> tuple[float, object]:
    from feedback_app.extensions import db

    seconds, result = [], None
    run()  # warm: the first pass pays for the database's caches
    for _ in range(repeat):
        db.session.remove()
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return median(seconds), result


def measure(size: int, repeat: int) -> list[list[str]]:
    from feedback_app.services.figures import periods
    from feedback_app.services.insight import comment_search, comments
    from feedback_app.services.insight.catalogue import catalogue

    source = catalogue().source("services.police", "helpful")
    period = periods.ALL_TIME

    def listing(search=None, open_limit=None):
        return comments.list_comments(source, period, search=search, open_limit=open_limit)

    rare, common = comment_search.parse(RARE), comment_search.parse(COMMON)
    cases = [
        ("open only (no search)", lambda: listing()),
        (f"search, rare word, all {size:,}", lambda: listing(rare, open_limit=size)),
        (f"search, rare word, capped at {comments.SEARCH_OPEN_LIMIT:,}", lambda: listing(rare)),
        (f"search, common word (stops at {comments.SEARCH_MATCH_LIMIT} matches)", lambda: listing(common)),
    ]
    rows, reference = [], None
    for label, run in cases:
        seconds, result = timed(repeat, run)
        reference = reference or seconds
        rows.append([
            label, f"{result.opened:,}", f"{result.listed:,}", f"{seconds:.3f}",
            fmt_rate(result.opened / seconds if seconds else 0), f"{seconds / reference:.2f}x",
        ])
    return rows


def measure_page(repeat: int) -> tuple[float, float]:
    """Seconds for the queue's first 20-comment page, and for opening just its 20 comments."""
    from feedback_app.services.figures import periods
    from feedback_app.services.insight import comments
    from feedback_app.services.insight.catalogue import catalogue

    source = catalogue().source("services.police", "helpful")
    page_seconds, listing = timed(repeat, lambda: comments.list_comments(source, periods.ALL_TIME))
    keys = [(c.response_id, c.field) for c in listing.comments]
    assert len(keys) == 20 and all(c.text for c in listing.comments), "the page must show 20 comments with words"
    open_seconds, _ = timed(repeat, lambda: list(comments._read_many(keys)))
    return page_seconds, open_seconds


def narrative_pages(kind: str, sizes: list[int], repeat: int) -> list[list[str]]:
    """The 20-comment page keyring-sealed, then narrative-sealed, on the same rows."""
    from feedback_app.services.responses import narrative_batches, narrative_keys
    from feedback_app.services.staff import narrative_access

    rows = []
    for size in sizes:
        with throwaway_database(kind, prefix="feedback_bench_pages") as database:
            if database is None:
                continue
            app = make_app(database.url)
            with app.app_context():
                migrate_schema()
                progress(f"{database.label}: inserting {size:,} responses sealed with the keyring (setup) ...")
                insert(size)
                before = measure_page(repeat)
                _pair, _recovery, opener = narrative_access.initialise("bench")
                progress(f"{database.label}: moving their words into narratives (setup) ...")
                narrative_batches.migrate(narrative_keys.current_public_key(), batch_size=2000)
                narrative_keys.use_openers([opener])
                after = measure_page(repeat)
                rows.append([
                    database.label, f"{size:,}",
                    f"{before[0] * 1000:.1f}", f"{after[0] * 1000:.1f}", f"{after[0] / before[0]:.2f}x",
                    f"{before[1] * 1000:.2f}", f"{after[1] * 1000:.2f}", f"{after[1] / before[1]:.2f}x",
                ])
                dispose_engines()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--page-sizes", default="1000,10000", help="responses for the 20-comment page (0: skip)")
    parser.add_argument("--skip-search", action="store_true", help="only the 20-comment page, keyring vs narratives")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print_versions()
    kinds = ["sqlite"] + ([] if args.sqlite_only else ["postgresql"])
    for kind in [] if args.skip_search else kinds:
        with throwaway_database(kind, prefix="feedback_bench_search") as database:
            if database is None:
                continue
            app = make_app(database.url)
            with app.app_context():
                migrate_schema()
                inserted = 0
                for size in sizes:
                    progress(f"{database.label}: inserting {size - inserted:,} sealed responses (setup) ...")
                    insert(size - inserted)
                    inserted = size
                    heading(f"{database.label}: {size:,} responses, each with one comment")
                    print_table(
                        "The queue's streamed pass, median of %d" % args.repeat,
                        ["pass", "responses opened", "comments listed", "seconds", "opened/s", "vs open only"],
                        measure(size, args.repeat),
                        align="lrrrrr",
                    )
                dispose_engines()
    page_sizes = [int(s) for s in args.page_sizes.split(",") if s.strip() and int(s)]
    if page_sizes:
        rows = [row for kind in kinds for row in narrative_pages(kind, page_sizes, args.repeat)]
        heading("A 20-comment coding page: free text keyring-sealed vs narratives (after migrate)")
        print_table(
            "Median of %d, milliseconds (target: narratives within 1.5x)" % args.repeat,
            ["database", "responses", "page, keyring", "page, narratives", "ratio",
             "20 comments, keyring", "20 comments, narratives", "ratio"],
            rows,
            align="lrrrrrrr",
        )


if __name__ == "__main__":
    main()
