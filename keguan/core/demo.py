"""The demo county: the bureau of the seed document, its people and partner organizations.

Loading is idempotent: what already exists is left as it is. Everything goes through the
same service functions as real work, so the demo's audit chain is a real one.
"""

from dataclasses import dataclass

from django.utils import timezone
from stdnum.cn import uscc as uscc_code

from keguan.accounts import services
from keguan.accounts.models import Bureau, Organization, User
from keguan.accounts.roles import Role

DEMO_PASSWORD = "Keguan-Demo-2026"  # noqa: S105  (the demo prints it; never in production)

# The seed names no county. Its partners (南昌大學) and places (四股橋) fit a county of
# Shangrao, Jiangxi; the demo uses Yugan County's region code under its city and province.
BUREAUS = [
    ("360000", "江西省科学技术厅", Bureau.Level.PROVINCIAL, None),
    ("361100", "上饶市科学技术局", Bureau.Level.MUNICIPAL, "360000"),
    ("361127", "余干县科学技术局", Bureau.Level.COUNTY, "361100"),
]
COUNTY = "361127"

K = Organization.Kind
# (key, name, kind, registration prefix, bureau, contact, phone)
ORGANIZATIONS = [
    ("switchgear", "县电器开关厂", K.ENTERPRISE, "91", COUNTY, "王建国", "13807930001"),
    ("hongri", "市红日农业开发有限公司", K.ENTERPRISE, "91", "361100", "李红", "13907930002"),
    ("rice", "四股桥特种水稻研究开发中心", K.INSTITUTE, "12", COUNTY, "杨玉梁", "13607930003"),
    ("sanqing", "三清绿色食品有限公司", K.ENTERPRISE, "91", COUNTY, "陈清", "13507930004"),
    ("feldspar", "县优质长石矿业有限公司", K.ENTERPRISE, "91", COUNTY, "赵石", "13707930005"),
    ("caf", "中国林业科学研究院", K.INSTITUTE, "12", "360000", "周林", "13307930006"),
    ("ecust", "华东理工大学", K.UNIVERSITY, "12", "360000", "吴理", "13207930007"),
    ("ncu", "南昌大学", K.UNIVERSITY, "12", "360000", "郑昌", "13107930008"),
    ("tsinghua", "清华大学", K.UNIVERSITY, "12", "360000", "孙华", "13007930009"),
    ("productivity", "县生产力促进中心", K.DEPARTMENT, "12", COUNTY, "钱进", "15807930010"),
    ("sigugiao", "四股桥乡人民政府", K.TOWNSHIP, "11", COUNTY, "冯乡", "15907930011"),
    ("shuangming", "双明冷水茭白专业合作社", K.COOPERATIVE, "93", COUNTY, "褚白", "15007930012"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    roles: tuple[str, ...]
    organization: str | None = None  # key in ORGANIZATIONS
    bureau: str = COUNTY


ACCOUNTS = [
    DemoAccount("officer", "刘先来", (Role.OFFICER,)),
    DemoAccount("leader", "张局长", (Role.LEADER, Role.PARTY_SECRETARY)),
    # The leadership group meets with a quorum of more than half: three members.
    DemoAccount("leader2", "王副局长", (Role.LEADER,)),
    DemoAccount("leader3", "李副局长", (Role.LEADER,)),
    DemoAccount("inspector", "纪检员", (Role.INSPECTOR,)),
    DemoAccount("expert", "黄专家", (Role.EXPERT,)),
    DemoAccount("expert2", "林专家", (Role.EXPERT,)),
    DemoAccount("liaison", "园区联络员", (Role.LIAISON,), organization="switchgear"),
    DemoAccount("secretary", "党支部书记", (Role.PARTY_SECRETARY, Role.PARTY_MEMBER)),
    DemoAccount("member", "党员小王", (Role.PARTY_MEMBER, Role.OFFICER)),
    DemoAccount("sysadmin", "系统管理员", (Role.SYSADMIN,)),
    DemoAccount("secadmin", "安全管理员", (Role.SECADMIN,)),
    DemoAccount("auditadmin", "审计管理员", (Role.AUDITADMIN,)),
    DemoAccount("city_officer", "市局业务员", (Role.OFFICER,), bureau="361100"),
] + [
    DemoAccount(f"applicant_{key}", contact, (Role.APPLICANT,), organization=key)
    for key, _name, _kind, _prefix, _bureau, contact, _phone in ORGANIZATIONS
]


def demo_uscc(prefix: str, region: str, index: int) -> str:
    """A well-formed code (valid check character) that belongs to no real organization."""
    body = f"{prefix}{region}MA{index:06d}X"
    return body + uscc_code.calc_check_digit(body)


def load(stdout=None, projects: bool = True) -> list[DemoAccount]:
    """Create what is missing of the demo county; return the demo accounts.

    PROJECTS false stops after the people and organizations (tests that need only them)."""
    bureaus = {b.region_code: b for b in Bureau.objects.all()}
    for code, name, level, parent in BUREAUS:
        if code not in bureaus:
            bureaus[code] = services.create_bureau(
                region_code=code, name=name, level=level, parent=bureaus[parent] if parent else None
            )

    orgs = {}
    for index, (key, name, kind, prefix, bureau, contact, phone) in enumerate(ORGANIZATIONS, 1):
        code = demo_uscc(prefix, bureau, index)
        org = Organization.objects.filter(uscc=code).first()
        if org is None:
            org = services.create_organization(
                None,
                bureaus[bureau],
                {
                    "name": name,
                    "kind": kind,
                    "uscc": code,
                    "contact_name": contact,
                    "contact_phone": phone,
                    "address": bureaus[bureau]
                    .name.replace("科学技术局", "")
                    .replace("科学技术厅", ""),
                },
            )
            if index % 4:  # most are verified; a few wait for the officer
                from keguan.accounts.workflow import ORGANIZATION_WORKFLOW

                officer_stub = _system_officer(bureaus[COUNTY])
                if org.bureau.path.startswith(bureaus[COUNTY].path):
                    ORGANIZATION_WORKFLOW.apply(officer_stub, org, "verify", {"note": "演示数据"})
        orgs[key] = org

    for account in ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        services.create_user(
            None,
            username=account.username,
            password=DEMO_PASSWORD,
            roles=list(account.roles),
            bureau=orgs[account.organization].bureau
            if account.organization
            else bureaus[account.bureau],
            organization=orgs[account.organization] if account.organization else None,
            full_name=account.full_name,
            must_change_password=False,
        )

    if not projects:
        return ACCOUNTS
    # They build on what is loaded above; review decides the county rounds of the projects
    # (through the callables: projects import nothing from review) and adds its pool.
    from keguan.projects import demo as projects_demo
    from keguan.review import demo as review_demo

    added = projects_demo.load(stdout, decide=review_demo.decide, review=review_demo.review_round)
    added += review_demo.load(stdout)
    # The portal's notices list the decided applications; its petitions go to the inspector.
    from keguan.portal import demo as portal_demo

    portal_demo.load(stdout)
    # The county bureau's Party branch, every area of it; its accounts show their party roles.
    from keguan.party import demo as party_demo

    party_demo.load_all(bureaus[COUNTY], timezone.localdate())
    return party_demo.with_party_roles(ACCOUNTS + added)


def tracking_code() -> str | None:
    """A petition tracking code of the demo to try on the public lookup page (or None)."""
    from keguan.portal import demo as portal_demo

    return portal_demo.tracking_code()


def _system_officer(county: Bureau):
    """The demo officer, created first so the demo's verifications have a named actor."""
    officer = User.objects.filter(username="officer").first()
    if officer is None:
        officer = services.create_user(
            None,
            username="officer",
            password=DEMO_PASSWORD,
            roles=[Role.OFFICER],
            bureau=county,
            full_name="刘先来",
            must_change_password=False,
        )
    return officer
