"""Field encryption at rest and blind indexes (keguan.core.crypto)."""

import pytest
from django.db import connection

from keguan.core import crypto
from keguan.party.models import Member
from tests.party.factories import make_branch, make_id_number, make_member


def test_encrypt_and_decrypt_round_trip():
    token = crypto.encrypt("36112719800101001X")
    assert token != "36112719800101001X"
    assert crypto.decrypt(token) == "36112719800101001X"


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("abc") != crypto.encrypt("abc")


def test_the_empty_value_stays_empty():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""


def test_a_token_made_with_another_key_is_refused(settings):
    token = crypto.encrypt("secret")
    settings.KEGUAN_FIELD_KEY = "another-key-of-at-least-thirty-two-characters"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_the_blind_index_is_stable_and_ignores_case_and_spaces():
    a = crypto.blind_index("36112719800101001x", "p")
    assert a == crypto.blind_index(" 36112719800101001X ", "p")
    assert len(a) == 64
    assert a != crypto.blind_index("36112719800101001X", "other purpose")
    assert crypto.blind_index("", "p") == ""


def test_the_blind_index_depends_on_the_key(settings):
    before = crypto.blind_index("36112719800101001X")
    settings.KEGUAN_FIELD_KEY = "another-key-of-at-least-thirty-two-characters"
    assert crypto.blind_index("36112719800101001X") != before


def test_a_member_id_number_is_not_in_the_raw_database_row(bureaus):
    number = make_id_number("19750505")
    member = make_member(make_branch(bureaus.county), "张三", id_number=number)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, id_number_index FROM party_member WHERE id = %s", [member.pk]
        )
        raw, index = cursor.fetchone()
    assert number not in raw
    assert number[-4:] not in index
    assert Member.objects.get(pk=member.pk).id_number == number
    assert Member.objects.get(id_number_index=crypto.blind_index(number, "party.member.id_number"))


def test_changing_only_the_id_number_moves_its_blind_index(bureaus):
    from keguan.party.services import members as services

    member = make_member(make_branch(bureaus.county), "李四")
    number = make_id_number("19700303")
    services.update_member(None, member, {"id_number": number})
    member.refresh_from_db()
    assert member.id_number == number
    assert member.id_number_index == crypto.blind_index(number, "party.member.id_number")
