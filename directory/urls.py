from directory import urls_members, urls_public

app_name = "directory"

# Public pages (search, profiles) and members' pages (registration, verification, supplier
# files, shortlists, import) live in two modules so they can grow independently.
urlpatterns = urls_public.urlpatterns + urls_members.urlpatterns
