"""Test data made through the same service functions as real work (so audit holds)."""

import itertools

from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import uscc as uscc_code

from keguan.accounts import services
from keguan.accounts.models import Bureau

PASSWORD = "Test-Passw0rd-Strong"
_counter = itertools.count(1)


def make_uscc(region: str = "361127") -> str:
    body = f"91{region}MA{next(_counter):06d}X"
    return body + uscc_code.calc_check_digit(body)


def make_bureau(
    region_code: str, name: str = "", parent: Bureau | None = None, level: str = Bureau.Level.COUNTY
) -> Bureau:
    existing = Bureau.objects.filter(region_code=region_code).first()
    if existing:
        return existing
    return services.create_bureau(
        region_code=region_code, name=name or f"科技局{region_code}", level=level, parent=parent
    )


def make_organization(bureau: Bureau, name: str = "", **extra):
    data = {
        "name": name or f"测试单位{next(_counter)}",
        "kind": "enterprise",
        "uscc": make_uscc(bureau.region_code),
        "contact_phone": "13812345678",
        "contact_name": "联系人",
    }
    data.update(extra)
    return services.create_organization(None, bureau, data)


def make_user(username: str, roles, bureau: Bureau, organization=None, **extra):
    return services.create_user(
        None,
        username=username,
        password=PASSWORD,
        roles=list(roles),
        bureau=bureau,
        organization=organization,
        full_name=extra.pop("full_name", username),
        must_change_password=extra.pop("must_change_password", False),
        **extra,
    )


def sign_in(client, user) -> None:
    """A signed-in session; administrators also pass their second factor."""
    client.force_login(user)
    if user.is_admin_role:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
