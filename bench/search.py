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

    .venv/bin/python -m bench.search [--sizes 10000,100000] [--repeat 3] [--sqlite-only]
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print_versions()
    for kind in ["sqlite"] + ([] if args.sqlite_only else ["postgresql"]):
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


if __name__ == "__main__":
    main()
