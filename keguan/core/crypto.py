"""Encryption of sensitive fields at rest, and blind indexes to find them without decrypting.

Two keys are derived (HKDF-SHA256) from one secret: `KEGUAN_FIELD_KEY` when set, else
SECRET_KEY. One encrypts values (Fernet: AES-128-CBC with an HMAC, a fresh IV per value, so
the same ID number gives different ciphertexts); the other keys an HMAC-SHA256 "blind index"
of the normalised value, so an ID number can be looked up and kept unique with an ordinary
index while the row holds no clear text. Changing the secret makes stored values unreadable:
rotate by re-encrypting, never by editing the setting alone.
"""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

# Fernet tokens start with this (version byte 0x80, base64): a stored value without it is
# clear text written before encryption, and is read as is.
_TOKEN_PREFIX = "gAAAAA"  # noqa: S105  (a format marker, not a secret)


class DecryptionError(Exception):
    """A stored value cannot be decrypted with the configured key."""


def _secret() -> str:
    return getattr(settings, "KEGUAN_FIELD_KEY", "") or settings.SECRET_KEY


@functools.lru_cache(maxsize=4)
def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"keguan-field-crypto", info=purpose
    ).derive(secret.encode("utf-8"))


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(_secret(), b"encrypt")))


def encrypt(value: str) -> str:
    """The ciphertext of VALUE (ASCII text); the empty string stays empty."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The clear text of TOKEN; raises DecryptionError for a token made with another key."""
    if not token:
        return ""
    if not token.startswith(_TOKEN_PREFIX):
        return token
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("a stored value cannot be decrypted with KEGUAN_FIELD_KEY") from exc


def normalise(value: str) -> str:
    """What two spellings of one identifier share: no spaces, upper case (a final x → X)."""
    return "".join((value or "").split()).upper()


def blind_index(value: str, purpose: str = "") -> str:
    """A keyed HMAC-SHA256 (hex) of the normalised VALUE; empty for an empty value.

    PURPOSE separates indexes of different kinds of value, so equal indexes in two columns
    reveal nothing about each other.
    """
    value = normalise(value)
    if not value:
        return ""
    key = _derive(_secret(), b"blind-index:" + purpose.encode("utf-8"))
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """A short text kept encrypted in a text column; `max_length` bounds the clear text.

    Reads decrypt, writes encrypt. Lookups on the clear text cannot work (each encryption
    differs): filter on a BlindIndexField instead.
    """

    description = "Text encrypted at rest"

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))


class BlindIndexField(models.CharField):
    """The blind index of another field of the row, kept up to date on every save.

    Models must add this field's name to `update_fields` whenever they save SOURCE alone.
    """

    def __init__(self, *args, source: str = "", purpose: str = "", **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.purpose:
            kwargs["purpose"] = self.purpose
        for key, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        if kwargs.get("db_index") is True:
            kwargs.pop("db_index")
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source) or "", self.purpose)
        setattr(model_instance, self.attname, value)
        return value
