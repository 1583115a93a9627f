"""Forms for industry–university–research cooperation (产学研合作) agreements."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.enterprises.models import Cooperation
from keguan.enterprises.services import COOPERATION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CooperationFilterForm(forms.Form):
    q = forms.CharField(label=_("Organization, partner or subject"), required=False, max_length=100)


class CooperationForm(forms.ModelForm):
    """An agreement: the partner is named in free text, and linked when it is registered."""

    class Meta:
        model = Cooperation
        fields = list(COOPERATION_FIELDS)
        widgets = {"signed_on": DATE, "ends_on": DATE}
        help_texts = {
            "partner_name": _("The university or institute, as named in the agreement."),
            "partner": _("When the partner is registered here."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.order_by("name", "pk")
        self.fields["partner"].queryset = organizations.order_by("name", "pk")
        self.fields["partner"].empty_label = _("(not registered here)")
        self.fields["partner_name"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("partner_name") and not data.get("partner"):
            self.add_error("partner_name", _("Name the partner or choose it."))
        elif not data.get("partner_name"):
            data["partner_name"] = data["partner"].name
        return data
