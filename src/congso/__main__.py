"""``python -m congso`` is ``manage.py``."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    import django
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] not in (["check"], ["help"], []):  # ``check`` reports the same problems
        django.setup()
        from congso.core.checks import refuse_unsafe_start

        refuse_unsafe_start()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
