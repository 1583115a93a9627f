from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "keguan.funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from keguan.audit import labels

        labels.register(
            {
                "funds.fund.create": _("Fund recorded"),
                "funds.fund.change": _("Fund amount changed"),
                "funds.allocation.reserve": _("Money reserved"),
                "funds.allocation.commit": _("Money committed"),
                "funds.allocation.release": _("Money released"),
                "funds.disbursement.create": _("Payment recorded"),
            }
        )
