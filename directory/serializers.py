"""The enterprise API's representations; writes go through directory.profile."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from directory import profile
from directory.models import (
    Achievement,
    Enterprise,
    EnterpriseImpact,
    Impact,
    ManagerContact,
    Offering,
    neq_validator,
    normalize_neq,
    normalize_postal_code,
    postal_code_validator,
)
from portal.accounts.roles import roles_for
from portal.reference.models import Category


class NeqField(serializers.CharField):
    """'1140 000 001' or '1140-000-001' is read as '1140000001'; blank means none."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=20,
            allow_null=True,
            allow_blank=True,
            required=False,
            help_text=_("Québec enterprise number: 10 digits."),
            **kwargs,
        )

    def to_internal_value(self, data):
        value = normalize_neq(super().to_internal_value(data))
        if value is not None:
            neq_validator(value)
        return value


class PostalCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=10, allow_blank=True, required=False, **kwargs)

    def to_internal_value(self, data):
        value = normalize_postal_code(super().to_internal_value(data))
        if value:
            postal_code_validator(value)
        return value


class ImpactListField(serializers.MultipleChoiceField):
    """The enterprise's social impacts, as codes of the benefits inventory."""

    def __init__(self, **kwargs):
        super().__init__(choices=Impact.choices, required=False, allow_empty=True, **kwargs)

    def get_attribute(self, instance):
        return [impact.impact for impact in instance.impacts.all()]

    def to_representation(self, value):
        return sorted(value)

    def to_internal_value(self, data):
        return sorted(super().to_internal_value(data))


class OfferingSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.all(),
        help_text=_("Slug of the category (see /api/categories/)."),
    )
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Offering
        fields = ["id", "name", "category", "category_name", "description", "keywords"]
        read_only_fields = ["id"]


class ManagerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ManagerContact
        fields = ["name", "title", "email", "phone"]


class AchievementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Achievement
        fields = ["title", "client", "year", "description"]


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise in a list of results; writable by coordinators and its representatives."""

    url = serializers.SerializerMethodField(help_text=_("The public profile page."))
    neq = NeqField()
    postal_code = PostalCodeField()
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # allow_null, not default=None: a default is skipped on PATCH and the field goes missing.
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, allow_null=True
    )
    impacts = ImpactListField()
    offerings = OfferingSerializer(
        many=True,
        required=False,
        help_text=_("Writing a list replaces every offering of the enterprise."),
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "other_names",
            "neq",
            "legal_form",
            "legal_form_label",
            "status",
            "status_label",
            "is_published",
            "primary_sector",
            "sectors",
            "region",
            "region_name",
            "municipality",
            "municipality_name",
            "regions_served",
            "address",
            "postal_code",
            "website",
            "email",
            "phone",
            "mission",
            "description",
            "employees",
            "size_band",
            "impacts",
            "offerings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "status", "is_published", "created_at", "updated_at"]

    def get_url(self, enterprise) -> str:
        path = reverse("directory:enterprise-detail", kwargs={"slug": enterprise.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def validate_neq(self, value):
        if value:
            others = Enterprise.objects.filter(neq=value)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError(
                    _("An enterprise with this NEQ is already in the directory.")
                )
        return value

    def validate(self, attrs):
        municipality = attrs.get("municipality", getattr(self.instance, "municipality", None))
        region = attrs.get("region", getattr(self.instance, "region", None))
        if municipality and region and "region" in attrs and municipality.region_id != region.pk:
            raise serializers.ValidationError(
                {"municipality": _("This municipality is not in the chosen region.")}
            )
        return attrs

    def create(self, validated_data):
        fields, relations = profile.split_relations(validated_data)
        user = self.context["request"].user
        try:
            return profile.create_enterprise(by=user, fields=fields, relations=relations)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc

    def update(self, instance, validated_data):
        fields, relations = profile.split_relations(validated_data)
        user = self.context["request"].user
        try:
            return profile.update_enterprise(
                enterprise=instance, by=user, fields=fields, relations=relations
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc


class EnterpriseDetailSerializer(EnterpriseSerializer):
    """One enterprise; managers' contacts only for signed-in buyers' staff and coordinators."""

    contacts = ManagerContactSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Managers' contacts: present only for signed-in staff of buying organizations "
            "and coordinators."
        ),
    )
    achievements = AchievementSerializer(many=True, read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = [
            *EnterpriseSerializer.Meta.fields,
            "status_reason",
            "people_in_integration",
            "volunteers",
            "certifications",
            "contacts",
            "achievements",
        ]
        read_only_fields = [*EnterpriseSerializer.Meta.read_only_fields, "status_reason"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not roles_for(request.user).sees_contacts:
            fields.pop("contacts")
        return fields


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why the enterprise is not a social-economy enterprise.")
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()
    parent = serializers.CharField(
        allow_null=True, help_text=_("The category of a sub-category; otherwise null.")
    )


class FacetsSerializer(serializers.Serializer):
    category = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    municipality = FacetValueSerializer(
        many=True, help_text=_("The 25 municipalities with the most results, and those chosen.")
    )
    sector = FacetValueSerializer(many=True)
    legal_form = FacetValueSerializer(many=True)
    impact = FacetValueSerializer(many=True)
    registered = FacetValueSerializer(
        many=True, required=False, help_text=_("Only for members of a buying organization.")
    )


class CorrectionSerializer(serializers.Serializer):
    typed = serializers.CharField()
    suggested = serializers.CharField()


@extend_schema_serializer(many=False)  # already a page: the schema must not paginate it again
class EnterpriseSearchSerializer(serializers.Serializer):
    """A page of results, with the facet counts of every filter."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EnterpriseSerializer(many=True)
    facets = FacetsSerializer(
        help_text=_(
            "For each filter, its values and the number of results each gives with the "
            "other filters applied."
        )
    )
    corrections = CorrectionSerializer(
        many=True, help_text=_("Words the directory did not know, and what was searched instead.")
    )


# --- A page of the list -----------------------------------------------------------------
# The list reads its page as rows and represents them here, with exactly the output of
# `EnterpriseSerializer` (tests/directory/test_api_enterprises.py compares the two): building
# every enterprise's model instances with their relations, then running each of the
# serializer's fields over them, cost about 1.4 ms per enterprise at 100 000 enterprises,
# most of a page of 50. The relations are read in the same four queries as a prefetch.
LISTING_COLUMNS = (
    "id",
    "slug",
    "name",
    "other_names",
    "neq",
    "legal_form",
    "status",
    "is_published",
    "primary_sector_id",
    "region_id",
    "region__name",
    "municipality_id",
    "municipality__name",
    "address",
    "postal_code",
    "website",
    "email",
    "phone",
    "mission",
    "description",
    "employees",
    "size_band",
    "created_at",
    "updated_at",
)
_DATETIME = serializers.DateTimeField()


def listing_rows(queryset):
    """What `listing_representation` needs of each enterprise, as rows."""
    return queryset.values(*LISTING_COLUMNS)


def _grouped(pairs) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for enterprise_id, value in pairs:
        grouped.setdefault(enterprise_id, []).append(value)
    return grouped


def _in_language(name_fr: str, name_en: str) -> str:
    """`Category.name` from its two columns."""
    return (name_en if (get_language() or "fr")[:2] == "en" else name_fr) or name_fr


def listing_representation(rows, request) -> list[dict]:
    """The rows of `listing_rows` as `EnterpriseSerializer(many=True).data` gives them."""
    ids = [row["id"] for row in rows]
    links = Enterprise.sectors.through.objects.filter(enterprise_id__in=ids)
    sectors = _grouped(links.order_by("sector_id").values_list("enterprise_id", "sector_id"))
    served = Enterprise.regions_served.through.objects.filter(enterprise_id__in=ids)
    regions = _grouped(served.order_by("region_id").values_list("enterprise_id", "region_id"))
    impacts = EnterpriseImpact.objects.filter(enterprise_id__in=ids)
    impacts = _grouped(impacts.values_list("enterprise_id", "impact"))
    offerings = _grouped(
        (
            enterprise_id,
            {
                "id": pk,
                "name": name,
                "category": slug,
                "category_name": _in_language(name_fr, name_en),
                "description": description,
                "keywords": keywords,
            },
        )
        for enterprise_id, pk, name, slug, name_fr, name_en, description, keywords in (
            Offering.objects.filter(enterprise_id__in=ids).values_list(
                "enterprise_id",
                "id",
                "name",
                "category__slug",
                "category__name_fr",
                "category__name_en",
                "description",
                "keywords",
            )
        )
    )
    legal_forms = dict(Enterprise.LegalForm.choices)
    statuses = dict(Enterprise.Status.choices)
    data = []
    for row in rows:
        pk = row["id"]
        path = reverse("directory:enterprise-detail", kwargs={"slug": row["slug"]})
        data.append(
            {
                "id": pk,
                "url": request.build_absolute_uri(path) if request else path,
                "slug": row["slug"],
                "name": row["name"],
                "other_names": row["other_names"],
                "neq": row["neq"],
                "legal_form": row["legal_form"],
                "legal_form_label": str(legal_forms.get(row["legal_form"], row["legal_form"])),
                "status": row["status"],
                "status_label": str(statuses.get(row["status"], row["status"])),
                "is_published": row["is_published"],
                "primary_sector": row["primary_sector_id"],
                "sectors": sectors.get(pk, []),
                "region": row["region_id"],
                "region_name": row["region__name"],
                "municipality": row["municipality_id"],
                "municipality_name": row["municipality__name"],
                "regions_served": regions.get(pk, []),
                "address": row["address"],
                "postal_code": row["postal_code"],
                "website": row["website"],
                "email": row["email"],
                "phone": row["phone"],
                "mission": row["mission"],
                "description": row["description"],
                "employees": row["employees"],
                "size_band": row["size_band"],
                "impacts": sorted(impacts.get(pk, [])),
                "offerings": offerings.get(pk, []),
                "created_at": _DATETIME.to_representation(row["created_at"]),
                "updated_at": _DATETIME.to_representation(row["updated_at"]),
            }
        )
    return data
