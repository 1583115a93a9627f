from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.accounts.roles import Role
from keguan.accounts.services import ORGANIZATION_FIELDS
from keguan.core.forms import VersionedForm


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits shown in the app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters, mixing at least three "
            "of: lower-case, upper-case, digits, symbols."
        ),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class OrganizationForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        help_texts = {"uscc": _("18 characters, as printed on the business licence.")}


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Organization.Kind.choices
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states"))] + Organization.State.choices,
    )


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("User name"), max_length=150, regex=r"^[\w.@+-]+$")
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.none())
    organization_uscc = forms.CharField(
        label=_("Organization (unified social credit code)"),
        required=False,
        max_length=18,
        help_text=_("Only for applicants and liaison officers."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The user must change it at first login."),
    )

    def __init__(self, *args, bureaus=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus if bureaus is not None else Bureau.objects.none()


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
