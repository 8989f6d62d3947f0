"""The `deskpilkada` console command: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpilkada.settings")
    from django.core.management import execute_from_command_line  # lazy: after the settings module is named

    execute_from_command_line(["deskpilkada", *sys.argv[1:]])


if __name__ == "__main__":
    main()
