"""Forms of the public portal: the notice list's filters and the objection form."""

import secrets

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keguan.portal.models import NoticeItem, NoticeKind, Objection
from keguan.projects import attachments

# What the letter upload takes: a scan as PDF, or a photograph of the sealed letter.
LETTER_TYPES = (attachments.PDF, attachments.PNG, attachments.JPEG)
LETTER_ACCEPT = ".pdf,.png,.jpg,.jpeg"
HEAD = 8192


class NoticeFilterForm(forms.Form):
    """The public list's filters; values it does not know are ignored."""

    RUNNING = "running"
    ENDED = "ended"

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + NoticeKind.choices
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("Running and ended")),
            (RUNNING, _("Open for objections")),
            (ENDED, _("Period over")),
        ],
    )


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item: NoticeItem) -> str:
        # Title and unit only: the public form names no person.
        return f"{item.title} — {item.unit}" if item.unit else item.title


def letter_type(upload) -> str | None:
    """The content type of UPLOAD judged by its first bytes (PDF, PNG or JPEG), or None."""
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return attachments.PDF
    guess = filetype.guess(head)
    if guess is not None and guess.mime in (attachments.PNG, attachments.JPEG):
        return guess.mime
    return None


class ObjectionForm(forms.Form):
    """A written objection under a real name. The service judges lateness, anonymity and
    the organization's letter; the form checks the letter's size and content, and the
    honeypot that people leave empty and form-filling robots do not."""

    objector = forms.ChoiceField(
        label=_("Objecting as"), choices=Objection.Objector.choices, initial="person"
    )
    name = forms.CharField(label=_("Real name"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("Phone or email"),
        max_length=100,
        required=False,
        help_text=_("So the bureau can answer you; never shown in public."),
    )
    organization_name = forms.CharField(
        label=_("Organization (when objecting as one)"), max_length=200, required=False
    )
    legal_representative = forms.CharField(
        label=_("Legal representative (when objecting as an organization)"),
        max_length=50,
        required=False,
    )
    letter = forms.FileField(
        label=_("Scan of the letter with the organization's seal"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": LETTER_ACCEPT}),
    )
    item = ItemChoiceField(
        label=_("Item objected to"),
        queryset=NoticeItem.objects.none(),
        required=False,
        empty_label=_("The notice as a whole"),
    )
    text = forms.CharField(
        label=_("Your objection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("State the facts and, if you can, how they may be checked."),
    )
    # The honeypot: hidden by CSS (class kg-honeypot in app.css), so people leave it empty.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = notice.items.exclude(
            state__in=(NoticeItem.State.WITHDRAWN, NoticeItem.State.MOVED_ON)
        )
        self.fields["letter"].help_text = _(
            "PDF, PNG or JPEG, at most %(limit)d MB; organizations only."
        ) % {"limit": settings.KEGUAN_UPLOAD_MAX_MB}

    def clean_letter(self):
        upload = self.cleaned_data.get("letter")
        if not upload:
            return None
        if upload.size > attachments.max_bytes():
            raise ValidationError(
                _("The file is larger than the %(limit)d MB allowed.")
                % {"limit": settings.KEGUAN_UPLOAD_MAX_MB}
            )
        content_type = letter_type(upload)
        if content_type not in LETTER_TYPES:
            raise ValidationError(_("Upload the letter as a PDF, or as a PNG or JPEG picture."))
        # Stored under a random name with the extension its content has: the name the
        # visitor gave may say who they are, or try to climb out of the folder.
        upload.name = secrets.token_hex(16) + attachments.EXTENSIONS[content_type][0]
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("Your objection could not be accepted. Please try again later.")
            )
        return cleaned

    def service_data(self) -> dict:
        """What services.submit_objection takes (the letter goes beside it)."""
        names = ("objector", "name", "contact", "organization_name", "legal_representative")
        data = {name: self.cleaned_data.get(name, "") for name in names}
        data["text"] = self.cleaned_data.get("text", "")
        data["item"] = self.cleaned_data.get("item")
        return data
