from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.models import (
    Achievement,
    Enterprise,
    EnterpriseImpact,
    ManagerContact,
    Offering,
    Representative,
    SupplierRegistration,
)
from directory.search import refresh_search_document


class OfferingInline(admin.TabularInline):
    model = Offering
    extra = 0


class ContactInline(admin.TabularInline):
    model = ManagerContact
    extra = 0


class ImpactInline(admin.TabularInline):
    model = EnterpriseImpact
    extra = 0


class AchievementInline(admin.TabularInline):
    model = Achievement
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "neq", "legal_form", "status", "region", "is_published"]
    list_filter = ["status", "legal_form", "is_published", "region"]
    search_fields = ["name", "neq", "other_names"]
    autocomplete_fields = ["municipality", "primary_sector"]
    filter_horizontal = ["sectors", "regions_served"]
    readonly_fields = ["status_decided_by", "status_decided_at", "submitted_at"]
    inlines = [OfferingInline, ContactInline, ImpactInline, AchievementInline]

    def save_related(self, request, form, formsets, change):
        """Offerings, sectors, regions and impacts change what an enterprise is found by:
        rebuild its search document and facet keys once they are saved."""
        super().save_related(request, form, formsets, change)
        refresh_search_document(form.instance)


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ["user", "enterprise", "is_approved", "requested_at"]
    list_filter = ["is_approved"]
    autocomplete_fields = ["user", "enterprise"]


@admin.register(SupplierRegistration)
class SupplierRegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "organization", "registered_on", "withdrawn_on"]
    list_filter = ["organization"]
    autocomplete_fields = ["enterprise", "organization"]
