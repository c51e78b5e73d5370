"""Gunicorn settings for Holding Hope (``make serve`` and the container's web process). It lives
here, not at the top level, so that gunicorn started without ``--config`` (``manage.py bench``)
does not pick it up.

Every value can be changed from the environment. The numbers behind the defaults are in
docs/operations.md ("Sizing").
"""

import os
import tempfile

# Listen where the platform says; the container and `make serve` set PORT.
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Synchronous workers: one request at a time each, one database connection each.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
# A request still running after this many seconds is killed (PDF and export builds run in
# Celery, so nothing legitimate takes this long).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a restart or deploy, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Each worker is replaced after about this many requests (with jitter, so they do not all
# restart together), which bounds any slow growth in memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Load the application once in the master, so workers start fast and share memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() == "true"
# Worker heartbeat files in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log to standard output: one JSON object a line, with the request id the application
# returns in X-Request-ID, and never the query string (it could carry a token).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "user_agent": "%(a)s"}'
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Prometheus: every worker writes its samples here, so /metrics adds them up whichever worker
# answers. The folder is emptied when the master starts.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="hope-prometheus-")


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
