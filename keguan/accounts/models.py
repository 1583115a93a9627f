"""Users, organizations, bureaus (jurisdictions), role grants, API tokens, login attempts."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.accounts.roles import ADMIN_ROLES, Role
from keguan.audit.guard import AuditedModel, AuditedQuerySet

region_code_validator = RegexValidator(
    r"^[1-9]\d{5}$", _("A region code is six digits (GB/T 2260), e.g. 330326.")
)


class Bureau(AuditedModel):
    """A science & technology bureau and the jurisdiction it covers."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        MUNICIPAL = "municipal", _("Municipal")
        COUNTY = "county", _("County")

    region_code = models.CharField(
        _("region code"), max_length=6, unique=True, validators=[region_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent bureau"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Region codes from the root down, e.g. "330000/330300/330326/": a jurisdiction's
    # subtree is one indexed prefix match.
    path = models.CharField(max_length=140, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")

    def __str__(self) -> str:
        return self.name

    def paths_up(self) -> list[str]:
        """The paths of this bureau and every bureau above it, root first: a jurisdiction
        reaches its own calls and funds and those of the levels above."""
        parts = [part for part in self.path.split("/") if part]
        return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class OrganizationQuerySet(AuditedQuerySet):
    def in_jurisdiction(self, bureau: Bureau) -> "OrganizationQuerySet":
        return self.filter(bureau__path__startswith=bureau.path)


class Organization(AuditedModel):
    """A unit that applies, partners or operates: enterprise, university, township, ..."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")
        TOWNSHIP = "township", _("Township government")
        DEPARTMENT = "department", _("County department")
        COOPERATIVE = "cooperative", _("Cooperative")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned for correction")

    OPEN_STATES = (State.PENDING, State.RETURNED)

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="organizations"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The township (乡镇) the unit sits in: officers' lists filter and count by it.
    township = models.CharField(_("township"), max_length=50, blank=True, db_index=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    state_note = models.CharField(_("note on the last decision"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class KeguanUserManager(UserManager.from_queryset(AuditedQuerySet)):
    pass


class User(AuditedModel, AbstractUser):
    """A person who logs in. Roles come from RoleGrant rows; data scope from the bureau."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)

    objects = KeguanUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def role_names(self) -> list[str]:
        """The user's roles, read once per request (cached on the instance)."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = sorted(self.role_grants.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return any(role in self.role_names() for role in roles)

    @property
    def is_admin_role(self) -> bool:
        return any(role in ADMIN_ROLES for role in self.role_names())

    def get_full_name(self) -> str:
        return self.full_name or self.username


class RoleGrant(AuditedModel):
    """That a user holds a role. Granted and revoked only by the security administrator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(AuditedModel):
    """A Bearer token for the REST API. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    audit_exempt_fields = frozenset({"last_used_at"})

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    """One password attempt, kept for throttling (not audited: the audit event is separate)."""

    username = models.CharField(max_length=150, db_index=True)
    client_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.username}@{self.client_address} {self.at:%Y-%m-%d %H:%M}"
