"""Gunicorn settings for BoursOloco (run from the checkout: gunicorn -c deploy/gunicorn.conf.py).

Tunable through the environment (see deploy/boursoloco.env.example):
GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_BIND, GUNICORN_ACCESS_LOG.
"""

import multiprocessing
import os

wsgi_app = "boursoloco.wsgi:application"
pythonpath = "src,."

# nginx on the same machine is the only client.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Only the local nginx may set X-Forwarded-Proto/-For (it overwrites what clients send).
forwarded_allow_ips = "127.0.0.1,::1"

# Every worker thread holds its own PostgreSQL connection (CONN_MAX_AGE=60): connections
# per machine = workers * threads. Check the total against max_connections
# (deploy/README.md, "Scaling past one machine").
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))  # > 1 selects the gthread worker

timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounds memory growth (Python heap and the per-town
# relation cache of each database connection).
max_requests = 2000
max_requests_jitter = 200

# Heartbeat file in memory, not on disk (see gunicorn's "Blocking os.fchmod").
worker_tmp_dir = "/dev/shm"
# No runtime control socket: the unit runs with a read-only file system.
control_socket_disable = True

# Logs go to the journal unless GUNICORN_ACCESS_LOG names a file (e.g. under /var/log/boursoloco).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Client address as seen by nginx, host (the town), request, status, size, duration (ms).
access_log_format = '%({x-forwarded-for}i)s %({host}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
proc_name = "boursoloco-web"
