"""Rules about bureaus, organizations, users, roles, logins and API tokens.

Every change here runs inside `audit.writing()` and records its event, so the views, the
API, the CLI and the demo loader all leave the same trail.
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc as uscc_code
from stdnum.exceptions import ValidationError as CodeError

from keguan.accounts.models import ApiToken, Bureau, LoginAttempt, Organization, RoleGrant, User
from keguan.accounts.roles import ADMIN_ROLES, ORGANIZATION_ROLES, Role
from keguan.accounts.workflow import ORGANIZATION_WORKFLOW
from keguan.audit import services as audit
from keguan.audit.context import actor_for, current_actor
from keguan.audit.models import Result
from keguan.core.records import check_version

ORGANIZATION_FIELDS = (
    "name",
    "kind",
    "uscc",
    "address",
    "township",
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not enough to call it."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def normalize_uscc(value: str) -> str:
    """Validate a unified social credit code, check character included; return it compact.

    Raises ValidationError naming the field in the user's language.
    """
    try:
        return uscc_code.validate(value)
    except CodeError:
        raise ValidationError(
            {
                "uscc": _(
                    "“%(value)s” is not a valid unified social credit code: check the "
                    "18 characters and the check character."
                )
                % {"value": value}
            }
        ) from None


def organization_for_code(code: str, within: Bureau | None = None) -> Organization:
    """The organization registered with this credit code (in WITHIN's jurisdiction if given).

    Raises ValidationError on the "organization" field when the code is malformed or unknown.
    """
    try:
        compact = normalize_uscc(code)
    except ValidationError as exc:
        raise ValidationError({"organization": exc.message_dict["uscc"]}) from None
    organizations = Organization.objects.filter(uscc=compact)
    if within is not None:
        organizations = organizations.in_jurisdiction(within)
    organization = organizations.first()
    if organization is None:
        raise ValidationError(
            {
                "organization": _(
                    "No organization with this code is registered in your jurisdiction."
                )
            }
        )
    return organization


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


# Bureaus -----------------------------------------------------------------------------------


def create_bureau(*, region_code: str, name: str, level: str, parent: Bureau | None) -> Bureau:
    """Create a bureau below PARENT. Its path is the parent's path plus its region code."""
    bureau = Bureau(region_code=region_code, name=name, level=level, parent=parent)
    bureau.path = (parent.path if parent else "") + region_code + "/"
    bureau.full_clean()
    with audit.writing():
        bureau.save()
        audit.record(
            "accounts.bureau.create",
            obj=bureau,
            after=_snapshot(bureau, ("region_code", "name", "level", "path")),
        )
    return bureau


# Organizations -----------------------------------------------------------------------------


def create_organization(actor_user, bureau: Bureau, data: dict) -> Organization:
    """Register an organization in BUREAU. It starts awaiting verification."""
    org = Organization(bureau=bureau, **{k: data.get(k, "") for k in ORGANIZATION_FIELDS})
    org.uscc = normalize_uscc(org.uscc)
    org.full_clean()
    with audit.writing():
        org.save()
        audit.record(
            "accounts.organization.create", obj=org, after=_snapshot(org, ORGANIZATION_FIELDS)
        )
    return org


def update_organization(
    actor_user, org: Organization, data: dict, expected_version: str | None = None
) -> Organization:
    """Change an organization's profile; a verified one goes back to awaiting verification
    when an applicant changes its name or code (the officer must look again).
    EXPECTED_VERSION: see keguan.core.records.update_fields."""
    before = _snapshot(org, ORGANIZATION_FIELDS)
    for name in ORGANIZATION_FIELDS:
        if name in data:
            setattr(org, name, data[name])
    org.uscc = normalize_uscc(org.uscc)
    org.full_clean()
    changed = {k: v for k, v in _snapshot(org, ORGANIZATION_FIELDS).items() if before[k] != v}
    if not changed:
        return org
    identity_changed = bool({"name", "uscc"} & changed.keys())
    with audit.writing():
        if expected_version is not None:
            fresh = Organization.objects.select_for_update().get(pk=org.pk)
            check_version(fresh, expected_version)
        org.save()
        audit.record(
            "accounts.organization.update",
            obj=org,
            before={k: before[k] for k in changed if k in before},
            after=changed,
        )
        if (
            identity_changed
            and org.state == Organization.State.VERIFIED
            and not actor_user.has_role(Role.OFFICER)
        ):
            org = ORGANIZATION_WORKFLOW.apply(actor_user, org, "identity_changed", automatic=True)
    return org


# Users and roles ---------------------------------------------------------------------------


def _check_role_combination(roles: set[str], organization: Organization | None) -> None:
    admin = roles & ADMIN_ROLES
    if len(admin) > 1:
        raise ValidationError({"roles": _("One person may hold only one administrator role.")})
    if admin and roles - ADMIN_ROLES:
        raise ValidationError(
            {"roles": _("An administrator account cannot also hold a business role.")}
        )
    if roles & ORGANIZATION_ROLES and organization is None:
        raise ValidationError(
            {"organization": _("Applicants and liaison officers must belong to an organization.")}
        )


def create_user(
    actor_user,
    *,
    username: str,
    password: str,
    roles: list[str],
    bureau: Bureau | None,
    organization: Organization | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    must_change_password: bool = True,
) -> User:
    """Create an account with its roles. Accounts made by someone else must change their
    password at first login (MUST_CHANGE_PASSWORD)."""
    roles_set = set(roles)
    unknown = roles_set - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %s") % ", ".join(sorted(unknown))})
    _check_role_combination(roles_set, organization)
    if organization is not None and bureau is None:
        bureau = organization.bureau
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        bureau=bureau,
        organization=organization,
        must_change_password=must_change_password,
    )
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.password_changed_at = timezone.now()
    with audit.writing():
        user.save()
        audit.record(
            "accounts.user.create",
            obj=user,
            after={
                "username": username,
                "bureau": bureau.region_code if bureau else None,
                "organization": organization.uscc if organization else None,
            },
        )
        for role in sorted(roles_set):
            _grant(actor_user, user, role)
    return user


def _grant(actor_user, user: User, role: str) -> RoleGrant:
    grant = RoleGrant.objects.create(
        user=user,
        role=role,
        granted_by=actor_user if actor_user and actor_user.pk else None,
    )
    audit.record("accounts.role.grant", obj=user, after={"role": role})
    user._role_cache = None
    return grant


def grant_role(actor_user, user: User, role: str) -> RoleGrant:
    """Give USER the ROLE, keeping the administrator roles apart."""
    current = set(user.role_names())
    if role in current:
        raise ValidationError({"role": _("The user already holds this role.")})
    _check_role_combination(current | {role}, user.organization)
    with audit.writing():
        return _grant(actor_user, user, role)


def revoke_role(actor_user, user: User, role: str) -> None:
    with audit.writing():
        deleted, _count = RoleGrant.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise ValidationError({"role": _("The user does not hold this role.")})
        audit.record("accounts.role.revoke", obj=user, before={"role": role})
    user._role_cache = None


def set_active(actor_user, user: User, active: bool, reason: str = "") -> User:
    """Enable or disable an account; disabling ends its sessions at the next request."""
    with audit.writing():
        user.is_active = active
        user.disabled_reason = "" if active else reason
        user.save(update_fields=["is_active", "disabled_reason"])
        audit.record(
            "accounts.user.enable" if active else "accounts.user.disable",
            obj=user,
            after={"reason": reason} if reason else None,
        )
    return user


def reset_password(actor_user, user: User, new_password: str) -> None:
    """An administrator sets a temporary password; the user must change it at next login."""
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    with audit.writing():
        user.set_password(new_password)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit.record("accounts.password.reset", obj=user)


def change_password(user: User, old_password: str, new_password: str) -> None:
    """The user changes their own password. Raises ValidationError naming the field."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is not correct.")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("Choose a password different from the old one.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    with audit.writing():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit.record("accounts.password.change", obj=user)


def disable_inactive_users(now: dt.datetime | None = None) -> int:
    """Disable accounts unused for KEGUAN_INACTIVE_DAYS (never logged in: since creation)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.KEGUAN_INACTIVE_DAYS)
    stale = User.objects.filter(is_active=True).filter(last_login__lt=cutoff) | User.objects.filter(
        is_active=True, last_login__isnull=True, date_joined__lt=cutoff
    )
    count = 0
    for user in stale.distinct():
        set_active(
            None,
            user,
            False,
            reason=_("unused for %(days)s days") % {"days": settings.KEGUAN_INACTIVE_DAYS},
        )
        count += 1
    return count


# Login and logout --------------------------------------------------------------------------

LOGIN_FAILED_MESSAGE = "login_failed"


def _recent_failures(**filters) -> int:
    since = timezone.now() - dt.timedelta(minutes=settings.KEGUAN_LOGIN_LOCKOUT_MINUTES)
    return LoginAttempt.objects.filter(at__gte=since, succeeded=False, **filters).count()


def is_locked_out(username: str, client_address: str | None) -> bool:
    """Locked when either the account or the address has too many recent failures."""
    limit = settings.KEGUAN_LOGIN_MAX_FAILURES
    if _recent_failures(username=username.lower()) >= limit:
        return True
    return bool(client_address) and _recent_failures(client_address=client_address) >= limit


def login_user(request, username: str, password: str) -> User | None:
    """Check the password, with throttling, and start a fresh session on success.

    Returns the user, or None. The caller shows one message for every failure (unknown
    user, wrong password, disabled, locked out), so nobody learns which accounts exist.
    Side effects: a LoginAttempt row; an audit event accounts.login (ok/failed) or
    accounts.login.locked; on success a new session key and last_login.
    """
    address = getattr(request, "client_address", None) or request.META.get("REMOTE_ADDR")
    key = username.strip().lower()
    now = timezone.now()
    actor = actor_for(None, address)
    with transaction.atomic():
        if is_locked_out(key, address):
            LoginAttempt.objects.create(username=key, client_address=address, at=now)
            audit.record(
                "accounts.login.locked",
                object_type="accounts.user",
                object_id="",
                result=Result.DENIED,
                after={"username": key},
                actor=actor,
            )
            return None
        # Both outcomes record an event; a successful check may also re-encode the stored
        # hash (Django upgrades it when the hasher's strength changed), which is a write.
        with audit.writing():
            user = authenticate(request, username=username.strip(), password=password)
            if user is None:
                LoginAttempt.objects.create(username=key, client_address=address, at=now)
                audit.record(
                    "accounts.login",
                    object_type="accounts.user",
                    result=Result.FAILED,
                    after={"username": key},
                    actor=actor,
                )
                return None
            LoginAttempt.objects.create(
                username=key, client_address=address, at=now, succeeded=True
            )
            login(request, user)  # rotates the session key: no fixation
            user.last_login = now
            user.save(update_fields=["last_login"])
            actor = actor_for(user, address)
            current_actor.set(actor)
            audit.record("accounts.login", obj=user, actor=actor)
    return user


def clear_lockout(actor_user, user: User) -> None:
    """Forget the user's recent failed attempts (an administrator vouched for them)."""
    with transaction.atomic():
        LoginAttempt.objects.filter(username=user.username.lower(), succeeded=False).delete()
        audit.record("accounts.login.unlock", obj=user)


def logout_user(request) -> None:
    user = request.user
    if user.is_authenticated:
        audit.record("accounts.logout", obj=user)
    logout(request)


# API tokens --------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is shown once and never stored."""
    prefix = secrets.token_hex(4)
    secret = f"kg_{prefix}_{secrets.token_urlsafe(32)}"
    with audit.writing():
        token = ApiToken.objects.create(
            user=user, name=name or _("API token"), prefix=prefix, key_hash=_hash_secret(secret)
        )
        audit.record(
            "accounts.token.create", obj=token, after={"user": user.username, "name": token.name}
        )
    return token, secret


def revoke_token(actor_user, token: ApiToken) -> None:
    with audit.writing():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("accounts.token.revoke", obj=token)


def user_for_token(secret: str) -> User | None:
    """The active user a Bearer token belongs to, or None."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "kg":
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, _hash_secret(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
