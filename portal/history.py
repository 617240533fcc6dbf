"""The audit history (django-simple-history) when a fixture is loaded.

`loaddata` (the JSON restore of SECURITY.md) saves each row "raw", then sets its
many-to-many links. The history records nothing for a raw save, but it does record the
links being set (its `m2m_changed` receiver does not know the save was raw): a restored
enterprise with sectors would get a change nobody made, written with an id that the
history rows loaded after it then collide with. A fixture's rows carry their own history.
"""


def skip_history_of_fixture_rows(sender, instance, raw=False, **kwargs):
    """Mark a tracked row saved raw so that setting its links records no change."""
    if raw and hasattr(instance._meta, "simple_history_manager_attribute"):
        instance.skip_history_when_saving = True
