"""Periodic jobs, run by the elected `manage.py run_scheduler` (tenants/scheduler.py). Each
runs at most once per period (tenants.jobs.run_periodic), even if two enqueue the same tick."""

from rq import cron

from tenants.jobs import run_periodic

DAY = 24 * 60 * 60
FIVE_MINUTES = 5 * 60
EACH_TOWN = "tenants.jobs.for_each_town"


def schedule(path, period, *args, **when):
    cron.register(run_periodic, queue_name="scheduled", args=(path, period, *args), **when)


def in_each_town(*paths, period, **when):
    schedule(EACH_TOWN, period, *paths, **when)


schedule("shared_apps.accounts.tasks.clear_expired_sessions", DAY, cron="17 3 * * *")
# Towns closed by ANCT are deleted once their grace period is over.
schedule("shared_apps.national.closing.delete_closed_towns", DAY, cron="0 4 * * *")

# Unverified claims on towns: a warning a week before, then expiry (a space nobody claims
# any more is deleted).
schedule("shared_apps.onboarding.services.expire_claims", DAY, cron="30 4 * * *")

# What a lost job (Redis down, worker killed) left undone, in one job per town: the
# submissions' announcements, the partner and porteur alerts, then the emails (also those
# a relay refused), the large exports (queued again, or marked failed after 3 attempts), and
# the webhooks' deliveries whose job was lost.
in_each_town(
    "tenant_apps.demands.services.announce_pending",
    "tenant_apps.network.services.broadcast_pending",
    "tenant_apps.applicant_alerts.services.announce_pending",
    "tenant_apps.mailing.services.deliver_pending",
    "tenant_apps.backoffice.exports.resume_exports",
    "tenant_apps.webhooks.services.wake_if_due",
    "tenant_apps.portability.tasks.resume_archives",
    period=FIVE_MINUTES,
    interval=FIVE_MINUTES,
)
# Calls whose deadline has passed are closed, opening their jury's scoring (the pages
# already treat them as closed; this writes it down for lists and figures).
in_each_town(
    "tenant_apps.jury.services.close_past_deadlines", period=FIVE_MINUTES, interval=FIVE_MINUTES
)
# What became due today for the team's notifications (overdue tasks…), before the 8:00 round.
in_each_town("tenant_apps.notifications.tasks.daily", period=DAY, cron="40 7 * * *")
# Ask silent porteurs, put unanswered demands to sleep, remind the teams: every morning.
in_each_town("tenant_apps.demands.tasks.keep_stock_alive", period=DAY, cron="0 8 * * *")
# Each premises' stored best demands, from scratch: a demand's change refreshes its own
# pairs, not the ranking of every premises it leaves or enters (first-found dates kept).
in_each_town("tenant_apps.premises.matching.recompute_all", period=DAY, cron="45 2 * * *")
# National figures: every town writes its own into the public table the console reads.
# Light for each town, so fifty towns a job (tenants.jobs.for_towns_by_batch).
schedule(
    "tenants.jobs.for_towns_by_batch",
    DAY,
    "shared_apps.national.tasks.roll_up_town",
    cron="30 2 * * *",
)
# Porteurs' proposals of the day, one email each, at the end of the working day.
in_each_town("tenant_apps.proposals.tasks.announce_proposals", period=DAY, cron="30 17 * * *")
# Installed businesses still open? Each is asked about once a month in the Sirene directory;
# run daily, so that an outage or a « slow down » of the API only delays it by a day.
in_each_town("tenant_apps.installations.tasks.check_businesses", period=DAY, cron="10 5 * * *")
# Partners' digests: every morning, and on Monday mornings for the weekly ones.
in_each_town("tenant_apps.network.services.send_daily_digests", period=DAY, cron="0 7 * * *")
in_each_town("tenant_apps.network.services.send_weekly_digests", period=DAY, cron="5 7 * * 1")
# Porteurs' premises alerts held back by the one-email-a-day cap: every morning.
in_each_town(
    "tenant_apps.applicant_alerts.services.send_daily_alerts", period=DAY, cron="30 8 * * *"
)
