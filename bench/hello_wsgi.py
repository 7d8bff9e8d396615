"""The reference for ``bench.survivor_pages``: a bare Flask app that answers "hello".

Run as ``gunicorn -c gunicorn.conf.py bench.hello_wsgi:app``, with the same settings as the
application it is compared with.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
