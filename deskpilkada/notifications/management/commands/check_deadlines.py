from django.core.management.base import BaseCommand

from deskpilkada.elections.deadlines import check_deadlines


class Command(BaseCommand):
    help = (
        "Notifies, once each, every record whose deadline is about to pass or has passed. "
        "Run it every few minutes (cron or a systemd timer) beside `deskpilkada db_worker`."
    )

    def handle(self, *args, **options):
        result = check_deadlines()
        self.stdout.write(f"Tenggat: {result.warned} segera, {result.overdue} terlewat diberitahukan.")
