"""Password rules beyond Django's: character classes, never the username."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower-case, upper-case, digits, symbols (MLPS level 3)."""

    classes = (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]")

    def validate(self, password, user=None):
        found = sum(1 for pattern in self.classes if re.search(pattern, password))
        if found < 3:
            raise ValidationError(
                _(
                    "The password must mix at least three of: lower-case letters, "
                    "upper-case letters, digits and symbols."
                ),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Mix at least three of: lower-case, upper-case, digits, symbols.")


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(
                _("The password must not contain the user name."), code="password_has_username"
            )

    def get_help_text(self):
        return _("The password must not contain your user name.")
