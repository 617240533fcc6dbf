from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin:
    """`name` in the active language, from `name_fr` / `name_en` columns."""

    @property
    def name(self) -> str:
        language = (get_language() or "fr")[:2]
        return (self.name_en if language == "en" else self.name_fr) or self.name_fr

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """One of Québec's 17 administrative regions (code 01–17)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("administrative region")
        verbose_name_plural = _("administrative regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Municipality(models.Model):
    """A Québec municipality, with its region and MRC (MAMH code_geo as key)."""

    code = models.CharField(_("geographic code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    designation = models.CharField(_("designation"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    mrc_code = models.CharField(_("MRC code"), max_length=3, blank=True)
    mrc_name = models.CharField(_("MRC"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name


class Sector(BilingualNameMixin, models.Model):
    """A SCIAN 2022 sector (2 digits) or subsector (3 digits)."""

    class Level(models.TextChoices):
        SECTOR = "sector", _("Sector")
        SUBSECTOR = "subsector", _("Subsector")

    code = models.CharField(_("SCIAN code"), max_length=5, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]


class Category(BilingualNameMixin, models.Model):
    """A product or service category for social-economy offerings (two-level tree)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    name_fr = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    unspsc = models.CharField(
        _("UNSPSC codes"), max_length=200, blank=True, help_text=_("Comma-separated.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    @property
    def unspsc_codes(self) -> list[str]:
        return [code.strip() for code in self.unspsc.split(",") if code.strip()]
