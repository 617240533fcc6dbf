"""Procurement API: thin viewsets over procurement.services (same rules as the HTML pages).

Visibility: an organization's records are visible to its members and to coordinators; an EÉS
representative also reads its own invitations, bids and awards; published annual needs are
public. Officers of the organization and coordinators write; everyone else reads.

Loading a history (a coordinator's token can load a whole organization's past): create a
process directly in the status it had (`closed`, `awarded`…), then its invitations, bids and
awards with their past dates; dated rules (no bid after the award, no award before the
publication…) hold whatever the order of the calls. Awards are never deleted: they are
cancelled (`POST /api/awards/{id}/cancel/`); a process changes status only through
`POST /api/processes/{id}/transition/`.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal.accounts.roles import WRITE_ROLES, roles_for
from procurement import services
from procurement.filters import (
    ActivityFilterSet,
    AnnualNeedFilterSet,
    AwardFilterSet,
    BidFilterSet,
    BusinessContactFilterSet,
    InvitationFilterSet,
    ProcurementProcessFilterSet,
    ThresholdFilterSet,
)
from procurement.models import (
    Activity,
    AnnualNeed,
    Award,
    Bid,
    BusinessContact,
    Invitation,
    ProcurementProcess,
    Threshold,
)
from procurement.permissions import (
    ActivityPermission,
    ProcurementRecordPermission,
    PublicReadRecordPermission,
    StaffReadCoordinatorWrite,
    require_write,
)
from procurement.serializers import (
    ActivitySerializer,
    AnnualNeedSerializer,
    AwardSerializer,
    BidSerializer,
    BusinessContactSerializer,
    CumulativeQuerySerializer,
    CumulativeSerializer,
    HistoryEntrySerializer,
    InvitationSerializer,
    ProcessSerializer,
    RespondSerializer,
    ThresholdSerializer,
    TransitionSerializer,
)

HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_HIDDEN_FIELDS = {"updated_at", "created_at"}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def history_entries(obj) -> list[dict]:
    """Who changed what and when on one record, newest first (from simple_history)."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "pk"))
    tracked = [
        field.attname
        for field in obj._meta.concrete_fields
        if field.attname not in HISTORY_HIDDEN_FIELDS
    ]
    entries, previous = [], None
    for record in records:
        if previous is None:
            changes = [
                {"field": name, "old": None, "new": _plain(getattr(record, name, None))}
                for name in tracked
                if getattr(record, name, None) not in (None, "")
            ]
        else:
            delta = record.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS)
            changes = [
                {"field": change.field, "old": _plain(change.old), "new": _plain(change.new)}
                for change in delta.changes
            ]
        user = record.history_user
        entries.append(
            {
                "date": record.history_date,
                "action": HISTORY_ACTIONS.get(record.history_type, "changed"),
                "user": user.email if user else None,
                "user_name": user.get_full_name() if user else None,
                "changes": changes,
            }
        )
        previous = record
    return entries[::-1]


def changes_of(serializer) -> dict:
    return dict(serializer.validated_data)


class RecordViewSet(viewsets.ModelViewSet):
    """Base of the organizations' records: visibility, write guard, audit trail."""

    permission_classes = [ProcurementRecordPermission]
    # Representatives of an enterprise read their own records of these kinds.
    readable_by_representatives = False

    def organization_id_of(self, obj) -> int:
        return obj.organization_id

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        roles = roles_for(self.request.user)
        if roles.coordinator:
            return queryset
        visible = Q(**{f"{queryset.organization_lookup}__in": roles.organization_ids})
        if self.readable_by_representatives and roles.enterprise_ids:
            visible |= Q(enterprise_id__in=roles.enterprise_ids)
        return queryset.filter(visible)

    def refreshed(self, instance):
        return self.get_queryset().get(pk=instance.pk)

    def reply(self, instance, status_code=status.HTTP_200_OK):
        serializer = self.get_serializer(self.refreshed(instance))
        return Response(serializer.data, status=status_code)

    def supplier_of(self, data: dict):
        supplier = data.pop("supplier", None)
        if supplier:
            return services.find_or_create_supplier(
                name=supplier["name"], neq=supplier.get("neq") or None, by=self.request.user
            )
        return data.pop("enterprise")

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """Audit trail: who changed what and when (organization's staff and coordinators)."""
        obj = self.get_object()
        if not roles_for(request.user).can_read(self.organization_id_of(obj)):
            raise PermissionDenied(
                _("The audit trail is for the organization's staff and coordinators.")
            )
        return Response(HistoryEntrySerializer(history_entries(obj), many=True).data)


class AnnualNeedViewSet(RecordViewSet):
    """Annual needs: published ones are public; drafts are for the organization's staff."""

    serializer_class = AnnualNeedSerializer
    filterset_class = AnnualNeedFilterSet
    permission_classes = [PublicReadRecordPermission]

    def base_queryset(self):
        return AnnualNeed.objects.order_by("-fiscal_year", "planned_quarter", "title", "pk")

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        organization = data.pop("organization")
        require_write(request.user, organization.pk)
        need = services.create_annual_need(organization=organization, by=request.user, **data)
        return self.reply(need, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        need = self.get_object()
        serializer = self.get_serializer(need, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        organization = data.pop("organization", None)
        if organization is not None and organization.pk != need.organization_id:
            raise serializers.ValidationError(
                {"organization": _("A record cannot move to another organization.")}
            )
        need = services.update_annual_need(need=need, by=request.user, changes=data)
        return self.reply(need)


class ProcessViewSet(RecordViewSet):
    """Procurement processes (draft → open → closed → awarded, or cancelled).

    A process may be created directly in any status, so a history can be loaded as it was;
    afterwards its status moves only through `transition`.
    """

    serializer_class = ProcessSerializer
    filterset_class = ProcurementProcessFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def base_queryset(self):
        return ProcurementProcess.objects.order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        organization = data.pop("organization")
        require_write(request.user, organization.pk)
        process = services.create_process(
            organization=organization,
            by=request.user,
            source=ProcurementProcess.Source.API,
            **data,
        )
        return self.reply(process, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        process = self.get_object()
        serializer = self.get_serializer(process, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        organization = data.pop("organization", None)
        if organization is not None and organization.pk != process.organization_id:
            raise serializers.ValidationError(
                {"organization": _("A record cannot move to another organization.")}
            )
        process = services.update_process(process=process, by=request.user, changes=data)
        return self.reply(process)

    @extend_schema(request=TransitionSerializer, responses=ProcessSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the process to another status (refused when the move is not allowed)."""
        process = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        process = services.change_process_status(
            process=process, status=serializer.validated_data["status"], by=request.user
        )
        return self.reply(process)


class InvitationViewSet(RecordViewSet):
    """Enterprises invited to a process (invitation tenders, direct-award quotes)."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet
    readable_by_representatives = True
    http_method_names = ["get", "post", "delete", "head", "options"]

    def organization_id_of(self, obj) -> int:
        return obj.process.organization_id

    def base_queryset(self):
        return Invitation.objects.select_related("process", "enterprise").order_by(
            "-invited_on", "-pk"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        process = data.pop("process")
        require_write(request.user, process.organization_id)
        invitation = services.invite_enterprise(
            process=process,
            enterprise=self.supplier_of(data),
            invited_on=data.get("invited_on"),
            by=request.user,
        )
        return self.reply(invitation, status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.remove_invitation(invitation=instance)

    @extend_schema(request=RespondSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Record the enterprise's response (interested, declined)."""
        invitation = self.get_object()
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.respond_to_invitation(
            invitation=invitation, by=request.user, **serializer.validated_data
        )
        return self.reply(invitation)


class BidViewSet(RecordViewSet):
    """Bids (soumissions); only the status changes afterwards (compliant, withdrawn…)."""

    serializer_class = BidSerializer
    filterset_class = BidFilterSet
    readable_by_representatives = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def organization_id_of(self, obj) -> int:
        return obj.process.organization_id

    def base_queryset(self):
        return Bid.objects.select_related("process", "enterprise").order_by("-submitted_on", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        process = data.pop("process")
        require_write(request.user, process.organization_id)
        bid = services.record_bid(
            process=process, enterprise=self.supplier_of(data), by=request.user, **data
        )
        return self.reply(bid, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        bid = self.get_object()
        serializer = self.get_serializer(bid, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        changed = {
            field for field, value in data.items() if getattr(bid, field, object()) != value
        } - {"status"}
        if changed:
            raise serializers.ValidationError(
                _("Only the status of a bid changes after it is recorded.")
            )
        if "status" in data:
            bid = services.change_bid_status(bid=bid, status=data["status"], by=request.user)
        return self.reply(bid)


class AwardViewSet(RecordViewSet):
    """Awards (one per lot); never deleted: cancelled. Flags follow indicators.md."""

    serializer_class = AwardSerializer
    filterset_class = AwardFilterSet
    readable_by_representatives = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return (
            Award.objects.select_related("process", "enterprise", "organization")
            .with_relationship_flags()
            .order_by("-awarded_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        process = data.pop("process")
        require_write(request.user, process.organization_id)
        award = services.award_contract(
            process=process, enterprise=self.supplier_of(data), by=request.user, **data
        )
        return self.reply(award, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        award = self.get_object()
        serializer = self.get_serializer(award, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        fixed = {"process", "enterprise", "bid", "status", "supplier"}
        moved = [
            field for field in fixed & set(data) if getattr(award, field, object()) != data[field]
        ]
        if moved:
            raise serializers.ValidationError(
                _(
                    "Only the amount, date and contract number of an award can be corrected; "
                    "cancel it to record another one."
                )
            )
        changes = {field: data[field] for field in services.AWARD_EDITABLE_FIELDS & set(data)}
        award = services.update_award(award=award, by=request.user, changes=changes)
        return self.reply(award)

    @extend_schema(request=None, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the award: it stays on record and stops counting."""
        award = services.cancel_award(award=self.get_object(), by=request.user)
        return self.reply(award)

    @extend_schema(request=None, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Activate a pending award (signed contract)."""
        award = services.activate_award(award=self.get_object(), by=request.user)
        return self.reply(award)

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", int, required=True),
            OpenApiParameter("year", int, required=True),
        ],
        responses=CumulativeSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def cumulative(self, request):
        """Active awards per supplier in a year, flagged above the cumulative threshold."""
        query = CumulativeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        organization_id = query.validated_data["organization"]
        if not roles_for(request.user).can_read(organization_id):
            raise PermissionDenied(_("This report is for the organization's staff."))
        report = services.cumulative_awards(
            organization_id=organization_id, year=query.validated_data["year"]
        )
        return Response(CumulativeSerializer(report).data)


class ActivityViewSet(viewsets.ModelViewSet):
    """Matchmaking activities, trainings, awareness sessions (with participants).

    Signed-in users read them; coordinators record any; an officer records the activities
    at which their own organizations were present.
    """

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    permission_classes = [ActivityPermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = Activity.objects.prefetch_related("organizations", "enterprises").order_by(
        "-date", "-pk"
    )

    def _check_organizations(self, organizations, activity: Activity | None = None) -> None:
        roles = roles_for(self.request.user)
        if roles.coordinator:
            return
        mine = roles.organizations_with(WRITE_ROLES)
        if (
            activity is not None
            and not mine & {org.pk for org in activity.organizations.all()}
            and activity.created_by_id != self.request.user.pk
        ):
            raise PermissionDenied(_("This activity was recorded by other organizations."))
        if organizations is not None and (
            not organizations or not {org.pk for org in organizations} <= mine
        ):
            raise PermissionDenied(
                _("An officer records activities at which their own organization was present.")
            )

    def perform_create(self, serializer):
        self._check_organizations(serializer.validated_data.get("organizations", []))
        serializer.save(created_by=self.request.user)

    def perform_update(self, serializer):
        self._check_organizations(
            serializer.validated_data.get("organizations"), activity=serializer.instance
        )
        serializer.save()


class BusinessContactViewSet(RecordViewSet):
    """Business contacts between an organization and an enterprise (at an activity or not)."""

    serializer_class = BusinessContactSerializer
    filterset_class = BusinessContactFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return (
            BusinessContact.objects.select_related("enterprise")
            .with_is_new()
            .order_by("-date", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        require_write(request.user, data["organization"].pk)
        contact = services.record_business_contact(by=request.user, **data)
        return self.reply(contact, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        contact = self.get_object()
        serializer = self.get_serializer(contact, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = changes_of(serializer)
        for field in ("organization", "enterprise"):
            if field in data and data[field].pk != getattr(contact, f"{field}_id"):
                raise serializers.ValidationError(
                    {field: _("Record a new contact rather than changing who met.")}
                )
            data.pop(field, None)
        contact = services.update_business_contact(contact=contact, by=request.user, changes=data)
        return self.reply(contact)


class ThresholdViewSet(viewsets.ModelViewSet):
    """Québec thresholds as dated data: staff read them, coordinators edit them."""

    serializer_class = ThresholdSerializer
    filterset_class = ThresholdFilterSet
    permission_classes = [StaffReadCoordinatorWrite]
    queryset = Threshold.objects.order_by("kind", "-effective_from")


def register(router) -> None:
    """Add this app's viewsets to the portal's one router."""
    router.register("annual-needs", AnnualNeedViewSet, basename="annualneed")
    router.register("processes", ProcessViewSet, basename="process")
    router.register("invitations", InvitationViewSet, basename="invitation")
    router.register("bids", BidViewSet, basename="bid")
    router.register("awards", AwardViewSet, basename="award")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("business-contacts", BusinessContactViewSet, basename="businesscontact")
    router.register("thresholds", ThresholdViewSet, basename="threshold")
