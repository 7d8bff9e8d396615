"""gunicorn settings for production (behind nginx, deploy/nginx/feedback.conf).

No access log: it would hold client addresses and user agents.
"""

import multiprocessing
import os
import sys

accesslog = None
# Should anyone enable an access log, this format leaves out address, user agent,
# referrer and query string.
access_log_format = '"%(m)s %(U)s" %(s)s %(M)sms'
errorlog = "-"
loglevel = "warning"

# Loopback only: nginx is the one thing that talks to gunicorn. Override with
# GUNICORN_BIND (for example "unix:/run/feedback/gunicorn.sock") or --bind.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers: a request that waits (on the database, or on a client nginx has not
# buffered) holds one thread, not a whole worker. nginx buffers every request and response,
# so threads are a second line of defence rather than the first.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
workers = int(os.environ.get("GUNICORN_WORKERS", "0")) or max(2, multiprocessing.cpu_count() * 2)

# A worker silent for this long is killed and replaced; on a stop or reload, workers get
# this long to finish the requests they hold (a survivor's "Send my answers").
timeout = 30
graceful_timeout = 30
keepalive = 5
# Replace workers now and then (memory), staggered so they never all restart together.
max_requests = 2000
max_requests_jitter = 200

# nginx stops request lines and header lines over 8 KB with its own pages; gunicorn's
# limits sit at their maximum so its bare error pages are never what a survivor sees.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The app applies ProxyFix itself (FEEDBACK_PROXY_HOPS); gunicorn's own handling of
# X-Forwarded-Proto is limited to the local proxy.
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):
    """Refuse to serve before the site is set up (``services/operations/startup.py``): in
    production, before the partnership's narrative key exists. A configuration problem is
    left to ``wsgi.py``, which says it in one line when the workers load the app."""
    from feedback_app import create_app
    from feedback_app.config import ConfigurationError
    from feedback_app.services.operations.startup import narrative_key_problem
    from feedback_app.surveys import SurveyDefinitionError

    try:
        app = create_app()
    except (ConfigurationError, SurveyDefinitionError):
        return
    problem = narrative_key_problem(app)
    if problem:
        sys.stderr.write(problem + "\n")
        sys.exit(1)
