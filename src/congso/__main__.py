"""``python -m congso`` is ``manage.py``, plus the deployment's roles (``congso.ops.roles``):
``web``, ``worker``, ``beat`` and ``run`` (``migrate`` is Django's)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")
    from congso.ops.roles import ROLES

    if sys.argv[1:2] and sys.argv[1] in ROLES:
        from congso.ops.roles import main as role

        sys.exit(role(sys.argv[1:]))
    import django
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] not in (["check"], ["help"], []):  # ``check`` reports the same problems
        django.setup()
        from congso.core.checks import refuse_unsafe_start

        refuse_unsafe_start()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
