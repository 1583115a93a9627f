"""`keguan review verify-draw ROUND`: ok, the first difference after tampering, exit codes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keguan.audit import services as audit
from keguan.review.management.commands.review import Command
from keguan.review.models import Draw
from tests.projects.states import application_in
from tests.review.factories import drawn_round, make_pool

pytestmark = pytest.mark.django_db


def _round(p):
    application = application_in(p, "checked")
    make_pool(p.officer, 6)
    return drawn_round(p.officer, [application])


def test_verify_draw_says_ok_and_then_reports_a_tampered_result(personas, capsys):
    round = _round(personas)
    call_command("review", "verify-draw", str(round.pk))
    assert capsys.readouterr().out.strip() == f"ok: 1 draws of round {round.pk} check out"

    draw = Draw.objects.get(round=round)
    swapped = [draw.result[1], draw.result[0], *draw.result[2:]]
    with audit.writing():
        Draw.objects.filter(pk=draw.pk).update(result=swapped)
        audit.record("test.tamper", obj=draw)
    with pytest.raises(CommandError) as caught:
        call_command("review", "verify-draw", str(round.pk))
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert f"#{draw.pk}" in message and str(swapped) in message
    assert "difference(s) in 1 draws" in message


def test_verify_draw_of_an_unknown_round_exits_2(db):
    with pytest.raises(CommandError) as caught:
        call_command("review", "verify-draw", "999999")
    assert caught.value.returncode == 2
    assert "999999" in str(caught.value)


def test_the_command_line_exits_with_the_codes(personas, capsys, monkeypatch):
    # run_from_argv closes every database connection when it ends, as a process would;
    # the test's own connection must survive it (PostgreSQL would drop the transaction).
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    round = _round(personas)
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["keguan", "review", "verify-draw", "999999"])
    assert exited.value.code == 2
    draw = Draw.objects.get(round=round)
    with audit.writing():
        Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
        audit.record("test.tamper", obj=draw)
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["keguan", "review", "verify-draw", str(round.pk)])
    assert exited.value.code == 1
    assert f"#{draw.pk}" in capsys.readouterr().err
