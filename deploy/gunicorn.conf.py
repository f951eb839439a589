"""gunicorn's configuration for Fairhearing's web processes (docs/deploy.md):

    gunicorn -c deploy/gunicorn.conf.py fairhearing.wsgi

Read from the environment, like the application's own settings:

    FAIRHEARING_BIND      where to listen: "unix:/run/fairhearing/web.sock" (behind nginx on the
                          same host, the default) or "10.0.0.5:8000"
    FAIRHEARING_WORKERS   worker processes (default: 2 per core, plus 1)
    FAIRHEARING_UMASK     the socket's permissions, as a umask (default 007: owner and group)
    FAIRHEARING_FORWARDED_ALLOW_IPS
                          the reverse proxy's addresses, whose X-Forwarded-Proto is believed
                          (default: loopback; a unix socket is always trusted by gunicorn)

Sync workers: a request is a few database queries (docs/performance.md), and the measured
figures are for sync workers. The access log is off: the application logs each request with
its request id and route name, never its path (a path can hold a case reference or a
search), which gunicorn's access log would print.
"""

import multiprocessing
import os

bind = [os.environ.get("FAIRHEARING_BIND", "unix:/run/fairhearing/web.sock")]
workers = int(os.environ.get("FAIRHEARING_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request slower than this is killed and logged: the slowest pages take well under a
# second at a million cases; an upload of the largest evidence file over a slow line is
# buffered by nginx first, so it never holds a worker this long.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Restart each worker after this many requests (with jitter, so not all at once): a leak in a
# library cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto from the proxy makes the request https (wsgi.url_scheme), so Django's
# secure cookies, HSTS and redirect to HTTPS work behind it.
forwarded_allow_ips = os.environ.get("FAIRHEARING_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request line and headers: nginx already caps them; these are gunicorn's own limits.
limit_request_line = 8190
limit_request_fields = 100
proc_name = "fairhearing-web"
# The socket (and any file gunicorn makes): the service's user and group only, so nginx reads
# it through the group (docs/deploy.md: the service runs with group www-data).
umask = int(os.environ.get("FAIRHEARING_UMASK", "007"), 8)
