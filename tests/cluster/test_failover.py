"""Failover, through the real app: porteurs keep submitting demands through nginx (two web
processes, two workers, an elected scheduler) while the PostgreSQL primary, then the Redis
master, is SIGKILLed. Prints the failover figures."""

import email
import os
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from rq import Queue
from rq import cron as rq_cron

from tests.cluster.cluster import DOMAIN, TOWN_SCHEMA, TOWN_SLUG
from tests.cluster.load import Load

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        not os.environ.get("BOURSOLOCO_CLUSTER_TEST"),
        reason="make test-cluster (starts a whole deployment, a few minutes)",
    ),
]

# The app must answer again within these, measured from the kill.
DATABASE_FAILOVER_MAX_SECONDS = 90
REDIS_FAILOVER_MAX_SECONDS = 30


def figure(label, value):
    print(f"  {label:<62} {value}")


def primary(cluster):
    return psycopg.connect(cluster.primary_url(), autocommit=True)


def demands_on_primary(cluster):
    with primary(cluster) as conn:
        rows = conn.execute(f"SELECT reference FROM {TOWN_SCHEMA}.demands_demand").fetchall()
    return {reference for (reference,) in rows}


def outbox(cluster):
    """{email address: (emails queued, of which sent)} for the town."""
    with primary(cluster) as conn:
        rows = conn.execute(
            f'SELECT "to", count(*), count(sent_at) FROM {TOWN_SCHEMA}.mailing_outboundemail'
            ' GROUP BY "to"'
        ).fetchall()
    return {to: (queued, sent) for to, queued, sent in rows}


def delivered(cluster):
    """Every message the file email backend wrote: (Message-ID, recipient)."""
    messages = []
    for path in Path(cluster.base / "mail").iterdir():
        raw = path.read_text()
        # One file per relay connection; messages separated by a line of dashes.
        for part in raw.split("-" * 79):
            if part.strip():
                message = email.message_from_string(part.strip())
                messages.append((message["Message-ID"], message["To"]))
    return messages


def catch_up(cluster):
    """Enqueue the five-minute catch-up the scheduler runs (lost announcements, unsent
    emails), now rather than at its next tick."""
    import boursoloco.cron  # noqa: F401 — registers the periodic jobs

    paths = next(
        entry["args"][2:]
        for entry in rq_cron._job_data_registry
        if entry["args"][0] == boursoloco.cron.EACH_TOWN and entry["args"][1] == 5 * 60
    )
    Queue("scheduled", connection=cluster.redis()).enqueue("tenants.jobs.for_each_town", *paths)


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception:  # noqa: BLE001 — e.g. no Redis master during the failover
            result = None
        if result:
            return result
        time.sleep(1)
    raise AssertionError(f"{what} not reached within {timeout} s")


def test_the_app_survives_its_database_primary_then_its_redis_master(cluster):
    print("\nGrappe démarrée :", ", ".join(f"{k} {v:.0f} s" for k, v in cluster.timings.items()))
    host = f"{TOWN_SLUG}.{DOMAIN}"
    load = Load(host, cluster.ports["https"], clients=3)
    load.start()
    try:
        load.wait_for_successes(6, 0, timeout=120)

        # 1. PostgreSQL: SIGKILL the primary node (keeper and server).
        old_primary = cluster.primary_node()
        killed_at = time.monotonic()
        cluster.kill(old_primary)
        back_after = load.wait_for_successes(3, killed_at, DATABASE_FAILOVER_MAX_SECONDS + 60)
        new_primary = cluster.primary_node()
        database_failed = len(load.failed(since=killed_at - 30))
        time.sleep(5)

        # Every porteur who got a reference has its demand on the new primary.
        references = {j.reference for j in load.succeeded()}
        missing = references - demands_on_primary(cluster)
        assert not missing, f"demands lost in the failover: {sorted(missing)}"

        # The workers' jobs resume: what the new submissions left them gets done.
        after = [j.email for j in load.succeeded(started_after=killed_at)]

        def announced():
            sent = outbox(cluster)
            return all(sent.get(address, (0, 0))[1] >= 1 for address in after)

        started = time.monotonic()
        # A job that ran while the database was failing over is the catch-up's to do:
        # announce_pending takes over an announcement after 2 minutes.
        try:
            wait_until(announced, 60, "emails of the submissions after the database failover")
        except AssertionError:
            catch_up(cluster)
            wait_until(announced, 150, "emails of the submissions after the catch-up")
        jobs_after = time.monotonic() - started

        # 2. Redis: SIGKILL the master; the sentinels promote the replica.
        old_master = cluster.redis_master()
        redis_killed_at = time.monotonic()
        cluster.kill(old_master)
        promoted_after = wait_until(
            lambda: cluster.redis_master() != old_master and time.monotonic() - redis_killed_at,
            REDIS_FAILOVER_MAX_SECONDS + 30,
            "a new Redis master",
        )
        load.wait_for_successes(3, redis_killed_at + promoted_after, 60)
        redis_failed = load.failed(since=redis_killed_at)
        time.sleep(3)
    finally:
        load.stop()
    finished = load.finished()
    redis_window = [j for j in finished if j.started >= redis_killed_at]

    # No demand lost: each porteur with a reference gets its email, once. What the Redis
    # failover lost (jobs not yet copied to the replica) is the catch-up's to do.
    references = {j.reference for j in load.succeeded()}
    assert not references - demands_on_primary(cluster)
    with_reference = {j.email for j in load.succeeded()}

    last_catch_up = [0.0]

    def all_sent():
        if time.monotonic() - last_catch_up[0] > 20:
            catch_up(cluster)
            last_catch_up[0] = time.monotonic()
        sent = outbox(cluster)
        return all(sent.get(address, (0, 0))[1] >= 1 for address in with_reference) and all(
            queued == sent_count for queued, sent_count in sent.values()
        )

    began = time.monotonic()
    # announce_pending waits 2 minutes before taking over a lost announcement.
    wait_until(all_sent, 240, "every porteur's email sent")
    caught_up_after = time.monotonic() - began

    # No email sent twice: one message per outbox row, none repeated.
    messages = delivered(cluster)
    repeated = [mid for mid, count in Counter(mid for mid, _ in messages).items() if count > 1]
    assert not repeated, f"emails sent twice: {repeated}"
    sent_rows = sum(sent for _, sent in outbox(cluster).values())
    assert len(messages) == sent_rows
    per_porteur = Counter(to for _, to in messages)
    assert all(per_porteur[address] == 1 for address in with_reference)

    # The scheduler was elected once: one holder of the lock, whichever survived.
    holder = cluster.redis().get("boursoloco:scheduler:leader")

    print("\nBascule de la grappe (PostgreSQL pg_auto_failover, Redis Sentinel) :")
    figure("demandes envoyées avec leur référence", len(references))
    figure("parcours en échec (toute la durée)", len([j for j in finished if j.error]))
    figure(f"PostgreSQL : primaire {old_primary} tué (SIGKILL), nouveau", new_primary)
    figure("PostgreSQL : l’app enregistre de nouveau après (s)", f"{back_after:.1f}")
    figure("PostgreSQL : parcours en échec pendant la bascule", database_failed)
    figure("PostgreSQL : travaux repris, courriels envoyés en (s)", f"{jobs_after:.1f}")
    figure(f"Redis : maître {old_master} tué (SIGKILL), promu après (s)", f"{promoted_after:.1f}")
    figure("Redis : parcours pendant et après la bascule", len(redis_window))
    figure("Redis : parcours en échec", len(redis_failed))
    figure("rattrapage : tous les courriels envoyés après (s)", f"{caught_up_after:.1f}")
    figure("courriels envoyés / en double", f"{len(messages)} / {len(repeated)}")
    figure("planificateur élu", holder.decode() if holder else "aucun")
    restarted = ", ".join(f"{name} ×{count}" for name, count in sorted(cluster.restarts.items()))
    figure("processus redémarrés (Restart=always de systemd)", restarted or "aucun")
    assert back_after <= DATABASE_FAILOVER_MAX_SECONDS
    assert not redis_failed, [j.error for j in redis_failed][:5]
    assert holder
