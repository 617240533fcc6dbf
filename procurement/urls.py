from procurement import urls_ocds, urls_records

app_name = "procurement"

# Records pages (needs, processes, invitations, bids, awards, activities, contacts, toolkit)
# and the OCDS import/export pages live in two modules so they can grow independently.
urlpatterns = urls_records.urlpatterns + urls_ocds.urlpatterns
