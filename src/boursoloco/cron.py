"""Periodic jobs, run by one `manage.py rqcron boursoloco.cron` process."""

from rq import cron

from tenants.jobs import run_periodic

DAY = 24 * 60 * 60
FIVE_MINUTES = 5 * 60

cron.register(
    run_periodic,
    queue_name="scheduled",
    args=("shared_apps.accounts.tasks.clear_expired_sessions", DAY),
    cron="17 3 * * *",
)

# Emails whose job was lost (Redis down, worker killed) or whose relay refused them.
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=(
        "tenants.jobs.for_each_town",
        FIVE_MINUTES,
        "tenant_apps.mailing.services.deliver_pending",
    ),
    interval=FIVE_MINUTES,
)

# Ask silent porteurs, put unanswered demands to sleep, remind the teams: every morning.
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=("tenants.jobs.for_each_town", DAY, "tenant_apps.demands.tasks.keep_stock_alive"),
    cron="0 8 * * *",
)

# National figures: every town writes its own into the public table the console reads.
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=("tenants.jobs.for_each_town", DAY, "shared_apps.national.tasks.roll_up_town"),
    cron="30 2 * * *",
)

# Towns closed by ANCT are deleted once their grace period is over.
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=("shared_apps.national.closing.delete_closed_towns", DAY),
    cron="0 4 * * *",
)

# Partner alerts whose job was lost (Redis down, worker killed): announced again.
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=(
        "tenants.jobs.for_each_town",
        FIVE_MINUTES,
        "tenant_apps.network.services.broadcast_pending",
    ),
    interval=FIVE_MINUTES,
)

# Partners' digests: every morning, and on Monday mornings for the weekly ones.
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=("tenants.jobs.for_each_town", DAY, "tenant_apps.network.services.send_daily_digests"),
    cron="0 7 * * *",
)
cron.register(
    run_periodic,
    queue_name="scheduled",
    args=(
        "tenants.jobs.for_each_town",
        DAY,
        "tenant_apps.network.services.send_weekly_digests",
    ),
    cron="5 7 * * 1",
)
