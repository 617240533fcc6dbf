"""Procurement records in the admin, each with its history (who changed what and when).

Thresholds are the coordinators' dated data: a new ministerial order is a new row with its
effective date, never an edit of the old one. Awards are never deleted: they are cancelled.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    ProcurementProcess,
    Threshold,
    ToolkitEntry,
)


@admin.register(Threshold)
class ThresholdAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "amount", "effective_from", "source"]
    list_filter = ["kind"]
    ordering = ["kind", "-effective_from"]


@admin.register(AnnualNeed)
class AnnualNeedAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "fiscal_year", "estimated_value", "is_published"]
    list_filter = ["is_published", "fiscal_year", "planned_method"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = ["organization", "created_by"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["enterprise", "created_by"]


class BidInline(admin.TabularInline):
    model = Bid
    extra = 0
    raw_id_fields = ["enterprise", "created_by"]


@admin.register(ProcurementProcess)
class ProcurementProcessAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "organization", "method", "status", "source"]
    list_filter = ["method", "status", "source"]
    search_fields = ["reference", "title", "ocid", "organization__name"]
    raw_id_fields = ["organization", "annual_need", "created_by"]
    readonly_fields = ["threshold_warning", "created_at", "updated_at"]
    inlines = [InvitationInline, BidInline]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["process", "enterprise", "invited_on", "response"]
    list_filter = ["response"]
    raw_id_fields = ["process", "enterprise", "created_by"]


@admin.register(Bid)
class BidAdmin(SimpleHistoryAdmin):
    list_display = ["process", "enterprise", "submitted_on", "amount", "status"]
    list_filter = ["status"]
    raw_id_fields = ["process", "enterprise", "created_by"]


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = ["process", "enterprise", "awarded_on", "amount", "status"]
    list_filter = ["status"]
    search_fields = ["process__reference", "enterprise__name", "contract_number"]
    raw_id_fields = ["process", "enterprise", "bid", "created_by"]
    readonly_fields = ["organization", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # cancel an award instead: it stays on record


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "date", "participants"]
    list_filter = ["kind"]
    search_fields = ["title", "organizer"]
    filter_horizontal = ["organizations"]
    raw_id_fields = ["enterprises", "created_by"]


@admin.register(BusinessContact)
class BusinessContactAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "enterprise", "date", "activity"]
    raw_id_fields = ["organization", "enterprise", "activity", "created_by"]


@admin.register(ToolkitEntry)
class ToolkitEntryAdmin(SimpleHistoryAdmin):
    list_display = ["title_fr", "step", "kind", "position", "is_published"]
    list_filter = ["step", "kind", "is_published"]
    prepopulated_fields = {"slug": ["title_fr"]}
