"""The one scheduler of a deployment: rq's cron scheduler behind a lock in Redis.

A scheduler may be started on several machines, so that losing one loses nothing: the one
holding the lock enqueues the periodic jobs, the others wait for the lock to expire. The
holder renews it at every turn of its loop; one that cannot (Redis out of reach, or the
lock lost in a Redis failover and taken by another) stops and goes back to waiting. A
brief overlap is harmless anyway: tenants.jobs.run_periodic runs each job once per period.
"""

import logging
import time

from django_rq.cron import DjangoCronScheduler
from redis.exceptions import RedisError
from rq.exceptions import StopRequested

logger = logging.getLogger(__name__)

LOCK_KEY = "boursoloco:scheduler:leader"
LOCK_SECONDS = 30
# Extend the lock only while it is still ours; give it back only if it is.
RENEW = """if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"""
RELEASE = """if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end"""


class LostLead(Exception):
    pass


class ElectedCronScheduler(DjangoCronScheduler):
    def acquire(self):
        return bool(self.connection.set(LOCK_KEY, self.name, nx=True, ex=LOCK_SECONDS))

    def holder(self):
        value = self.connection.get(LOCK_KEY)
        return value.decode() if value else None

    def renew(self):
        return bool(self.connection.eval(RENEW, 1, LOCK_KEY, self.name, LOCK_SECONDS))

    def release(self):
        return bool(self.connection.eval(RELEASE, 1, LOCK_KEY, self.name))

    def heartbeat(self):
        if not self.renew():
            raise LostLead(f"verrou du planificateur perdu ({self.holder() or 'libre'})")
        super().heartbeat()

    def calculate_sleep_interval(self):
        # Wake up often enough to renew the lock before it expires.
        return min(super().calculate_sleep_interval(), LOCK_SECONDS / 3)

    def run(self):
        """Wait for the lock, run the scheduler while holding it, wait again if it is lost;
        return when asked to stop (SIGTERM, SIGINT)."""
        waiting_for = None
        while True:
            try:
                if not self.acquire():
                    holder = self.holder()
                    if holder != waiting_for:
                        logger.info("Planificateur en attente : %s est en service", holder)
                        waiting_for = holder
                    time.sleep(LOCK_SECONDS / 3)
                    continue
                logger.info("Planificateur %s élu", self.name)
                waiting_for = None
                self.start()
                self.release()
                return
            except (StopRequested, KeyboardInterrupt):
                return
            except (LostLead, RedisError) as error:
                logger.warning("Planificateur %s arrêté : %s", self.name, error)
                time.sleep(LOCK_SECONDS / 3)
