"""Run the periodic jobs' scheduler, once in the whole deployment (tenants.scheduler)."""

from django.core.management.base import BaseCommand

from tenants.scheduler import ElectedCronScheduler


class Command(BaseCommand):
    help = (
        "Planificateur des tâches périodiques : un seul en service dans tout le déploiement "
        "(verrou dans Redis), les autres attendent de prendre le relais."
    )

    def add_arguments(self, parser):
        parser.add_argument("config", nargs="?", default="boursoloco.cron")

    def handle(self, *args, config, **options):
        scheduler = ElectedCronScheduler()
        scheduler.load_config_from_file(config)
        scheduler.run()
