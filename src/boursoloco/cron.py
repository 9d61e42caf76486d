"""Periodic jobs, run by one `manage.py rqcron boursoloco.cron` process."""

from rq import cron

from tenants.jobs import run_periodic

DAY = 24 * 60 * 60

cron.register(
    run_periodic,
    queue_name="scheduled",
    args=("shared_apps.accounts.tasks.clear_expired_sessions", DAY),
    cron="17 3 * * *",
)
