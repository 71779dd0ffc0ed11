"""Create the demo accounts of a development machine and print them."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factcheck.roles import EDITORS, FACT_CHECKERS

# (username, password, group, superuser): known passwords, so never outside DEBUG.
DEMO_ACCOUNTS = [
    ("factchecker", "demo-factchecker", FACT_CHECKERS, False),
    ("editor", "demo-editor", EDITORS, False),
    ("editor2", "demo-editor2", EDITORS, False),
    ("admin", "demo-admin", None, True),
]


class Command(BaseCommand):
    help = "Create the demo accounts (development settings only) and print their passwords."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts have known passwords: they are created only with DEBUG=1.")
        User = get_user_model()
        self.stdout.write("Demo accounts (development only):")
        for username, password, group_name, superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            role = "superuser" if superuser else group_name
            self.stdout.write(f"  {username:<12} password {password:<18} ({role})")
