"""The party branch's section index: the branch overview for the secretary and inspectors;
a member lands on their own record."""

from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keguan.core.access import deny, require
from keguan.party import permissions as can
from keguan.party.models import CommitteeSeat, DuesRecord, Member
from keguan.party.models.dues import month_start

# The areas of the branch, as (URL name, label, icon). Another area adds its own entry;
# one whose URL does not exist yet is left out, never an error.
AREAS = [
    ("party:member_list", _("Members"), "people"),
    ("party:dues_index", _("Party dues"), "wallet2"),
    ("party:study_index", _("Study"), "book"),
    ("party:meeting_list", _("Meetings"), "calendar3"),
    ("party:evaluation_list", _("Evaluation"), "check2-square"),
    ("party:disclosure_list", _("Disclosure"), "megaphone"),
    ("party:integrity_index", _("Clean government"), "shield-check"),
    ("party:honour_list", _("Honours"), "award"),
    ("party:village_list", _("Paired village"), "house-heart"),
    ("party:summary_index", _("Yearly summary"), "clipboard-data"),
]


def area_links() -> list[dict]:
    links = []
    for name, label, icon in AREAS:
        try:
            links.append({"url": reverse(name), "label": label, "icon": icon})
        except NoReverseMatch:
            continue
    return links


@require(can.can_enter_party)
def index(request):
    user = request.user
    branch = can.branch_of(user)
    if not can.sees_all_members(user, branch):
        own = can.member_of(user)
        if own is None:
            raise deny(request, "view:party.index")
        return redirect("party:member_detail", own.pk)
    counts = Member.objects.filter(branch=branch).aggregate(
        active=Count("pk", filter=Q(state=Member.State.ACTIVE)),
        full=Count("pk", filter=Q(state=Member.State.ACTIVE, kind=Member.Kind.FULL)),
        probationary=Count(
            "pk", filter=Q(state=Member.State.ACTIVE, kind=Member.Kind.PROBATIONARY)
        ),
        transferred=Count("pk", filter=Q(state=Member.State.TRANSFERRED)),
        deceased=Count("pk", filter=Q(state=Member.State.DECEASED)),
    )
    month = month_start(timezone.localdate())
    dues = DuesRecord.objects.filter(member__branch=branch).aggregate(
        month_due=Sum("amount", filter=Q(month=month)),
        month_paid=Sum("amount", filter=Q(month=month, paid_on__isnull=False)),
        unpaid=Count("pk", filter=Q(paid_on__isnull=True)),
    )
    committee = CommitteeSeat.objects.filter(branch=branch).select_related("member")
    groups = branch.groups.annotate(
        size=Count("members", filter=Q(members__state=Member.State.ACTIVE))
    )
    return render(
        request,
        "party/index.html",
        {
            "branch": branch,
            "counts": counts,
            "dues": dues,
            "month": month,
            "committee": sorted(committee, key=_seat_order),
            "groups": groups,
            "areas": area_links(),
            "can_manage": can.can_manage_members(user),
        },
    )


def _seat_order(seat: CommitteeSeat):
    order = list(CommitteeSeat.Duty.values)
    return (order.index(seat.duty), seat.member.name)
