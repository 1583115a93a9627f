from django.core.management.base import BaseCommand, CommandError

from keguan.accounts import services
from keguan.accounts.models import User


class Command(BaseCommand):
    help = "API tokens: `keguan token create USERNAME [--name NAME]` prints a new token once."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']}")
        _token, secret = services.create_token(user, options["name"])
        self.stdout.write(secret)
