import json

from django.core.management.base import BaseCommand

from keguan.bench.run import run


class Command(BaseCommand):
    help = (
        "Benchmark the database keguan is configured with (filled by `keguan bench-data`): "
        "serve it, time the officer list pages, the expert's page, the ranked list and the "
        "statistics from another process, run the deadline-day rush, read the servers' "
        "memory. Writes the results as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--label", default="")
        parser.add_argument("--out", help="file for the JSON results (default: stdout)")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--rush-seconds", type=int, default=60)
        parser.add_argument("--applicants", type=int, default=20)

    def handle(self, *args, **options):
        from django.db import connection

        results = run(
            label=options["label"] or connection.vendor,
            workers=options["workers"],
            threads=options["threads"],
            rush_seconds=options["rush_seconds"],
            applicants=options["applicants"],
            write=self.stderr.write,
        )
        text = json.dumps(results, ensure_ascii=False, indent=1)
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text)
