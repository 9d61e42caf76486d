"""The scheduler is elected: of several started, one enqueues the periodic jobs."""

import django_rq
import pytest

from tenants.scheduler import LOCK_KEY, ElectedCronScheduler, LostLead


def scheduler(name):
    return ElectedCronScheduler(connection=django_rq.get_connection("scheduled"), name=name)


def test_a_second_scheduler_waits_while_the_first_holds_the_lock():
    first, second = scheduler("machine-1"), scheduler("machine-2")
    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == "machine-1"
    assert 0 < django_rq.get_connection("scheduled").ttl(LOCK_KEY) <= 30


def test_the_lock_passes_on_once_released_or_expired():
    first, second = scheduler("machine-1"), scheduler("machine-2")
    first.acquire()
    assert not second.release()  # not its lock: left alone
    assert first.release()
    assert second.acquire()
    # A holder killed without releasing: its lock expires, then another takes it.
    django_rq.get_connection("scheduled").expire(LOCK_KEY, 0)
    assert first.acquire()


def test_a_scheduler_whose_lock_was_taken_stops_enqueueing():
    first, second = scheduler("machine-1"), scheduler("machine-2")
    first.acquire()
    first.heartbeat()  # renews its own lock
    # A Redis failover lost the lock and the other scheduler took it.
    django_rq.get_connection("scheduled").delete(LOCK_KEY)
    assert second.acquire()
    with pytest.raises(LostLead):
        first.heartbeat()
    assert second.holder() == "machine-2"
