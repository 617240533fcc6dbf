from django.contrib import admin

from portal.reference.models import Category, Municipality, Region, Sector


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "mrc_name", "population"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_fr", "name_en", "parent", "unspsc"]
    list_filter = ["parent"]
    search_fields = ["slug", "name_fr", "name_en"]
