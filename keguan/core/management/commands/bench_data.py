from django.core.management.base import BaseCommand, CommandError

from keguan.bench.data import SCALES, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic data for the benchmark: county, city, "
        "province (100 counties, 200,000 applications, 2,000,000 audit events) or nation "
        "(5 times province; PostgreSQL only). Reports its own speed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="county")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        from django.db import connection

        if options["scale"] == "nation" and connection.vendor != "postgresql":
            raise CommandError("nation scale needs PostgreSQL (set KEGUAN_DATABASE_URL)")
        scale = SCALES[options["scale"]]
        self.stdout.write(f"bench-data {options['scale']} on {connection.vendor}: {scale}")
        try:
            report = generate(options["scale"], seed=options["seed"], write=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
