"""The rate-limit cache table (deskpilkada_ratelimit), for databases created before it existed.

createcachetable creates every database cache table of the settings that is missing, so a fresh
database already has it from 0001; here it is a no-op.
"""

from django.core.management import call_command
from django.db import migrations


def forwards(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0, stdout=None)


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_cache_table")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
