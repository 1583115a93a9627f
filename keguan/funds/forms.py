from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keguan.funds.models import Fund


class FundFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Fund"), required=False, choices=[("", _("All funds"))] + Fund.Kind.choices
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]


class FundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Fund"), choices=Fund.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    # Text, not a DecimalField: the service parses yuan ("650,000" too) and names the error.
    amount = forms.CharField(
        label=_("Amount (yuan)"),
        max_length=20,
        help_text=_("In yuan (not 10,000 yuan), e.g. 650000."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
