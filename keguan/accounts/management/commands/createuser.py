import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from keguan.accounts import services
from keguan.accounts.models import Bureau
from keguan.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Create an account: keguan createuser NAME --role ROLE [--org USCC] "
        "[--bureau REGION_CODE] --password-stdin"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=Role.values,
            help="may be given more than once",
        )
        parser.add_argument("--org", help="unified social credit code of the organization")
        parser.add_argument("--bureau", help="region code of the bureau")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            required=True,
            help="read the password from the first line of standard input",
        )
        parser.add_argument(
            "--no-change-at-login",
            action="store_true",
            help="do not force a password change at first login",
        )

    def handle(self, *args, **options):
        password = sys.stdin.readline().rstrip("\n")
        organization = bureau = None
        if options["org"]:
            try:
                organization = services.organization_for_code(options["org"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.message_dict["organization"])) from None
        if options["bureau"]:
            bureau = Bureau.objects.filter(region_code=options["bureau"]).first()
            if bureau is None:
                raise CommandError(f"no bureau with region code {options['bureau']}")
        if bureau is None and organization is None:
            raise CommandError("give --bureau or --org: every account belongs to a jurisdiction")
        try:
            user = services.create_user(
                None,
                username=options["username"],
                password=password,
                roles=options["role"],
                bureau=bureau,
                organization=organization,
                full_name=options["full_name"],
                email=options["email"],
                must_change_password=not options["no_change_at_login"],
            )
        except ValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            raise CommandError(
                "; ".join(
                    f"{field}: {' '.join(msgs)}" if field else " ".join(msgs)
                    for field, msgs in messages.items()
                )
            ) from None
        self.stdout.write(f"created {user.username} ({', '.join(user.role_names())})")
