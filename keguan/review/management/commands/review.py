from django.core.management.base import BaseCommand, CommandError

from keguan.review import services
from keguan.review.models import Round


class Command(BaseCommand):
    help = (
        "Work with review rounds. `keguan review verify-draw ROUND` recomputes every draw of "
        "the round from its recorded seed and compares it with the record and the audit "
        "trail: exit 0 when all check out, 1 at the first difference, 2 for an unknown round."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify-draw", help="Rerun the draws of a round from their recorded seeds."
        )
        verify.add_argument("round", type=int, help="The round's id.")

    def handle(self, *args, **options):
        round = Round.objects.filter(pk=options["round"]).first()
        if round is None:
            raise CommandError(f"no review round {options['round']}", returncode=2)
        differences = services.verify_round(round)
        count = round.draws.count()
        if not differences:
            self.stdout.write(f"ok: {count} draws of round {round.pk} check out")
            return
        raise CommandError(
            f"{differences[0]} ({len(differences)} difference(s) in {count} draws "
            f"of round {round.pk})",
            returncode=1,
        )
