"""The one form of the draw pages: the reason a redraw, a supplementary draw or a
withdrawal needs (the inspector reads it in the draw log)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the draw and shown to the inspector."),
    )
