"""The `zhili` console script: Django's manage.py with the project's settings.

`zhili demo`, `zhili serve`, `zhili worker` and `zhili scheduler` are management commands
of their own; every Django command (migrate, createsuperuser, shell, ...) works too.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
