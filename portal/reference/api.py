from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from portal.reference.models import Category, Municipality, Region, Sector


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name", "designation", "region", "mrc_code", "mrc_name", "population"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "level", "parent", "name", "name_fr", "name_en"]


class CategorySerializer(serializers.ModelSerializer):
    unspsc_codes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Category
        fields = ["id", "slug", "parent", "name", "name_fr", "name_en", "unspsc_codes"]


class MunicipalityFilterSet(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Municipality
        fields = ["region", "name", "mrc_code"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    filterset_fields = ["level", "parent"]
    pagination_class = None


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_fields = ["parent"]
    pagination_class = None


def register(router) -> None:
    router.register("regions", RegionViewSet)
    router.register("municipalities", MunicipalityViewSet)
    router.register("sectors", SectorViewSet)
    router.register("categories", CategoryViewSet)
