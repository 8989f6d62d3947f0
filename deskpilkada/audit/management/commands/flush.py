"""Django's `flush`, with the SQLite trigger that refuses deleting audit rows told to let it through.

The test runner empties the database with `flush` after a transactional test; on PostgreSQL it
truncates, which row triggers do not see, so only SQLite needs this."""

from django.core.management.commands.flush import Command as FlushCommand

from deskpilkada.audit import chain


class Command(FlushCommand):
    def handle(self, **options):
        chain.FLUSHING = True
        try:
            return super().handle(**options)
        finally:
            chain.FLUSHING = False
