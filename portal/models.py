from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic job ran: Celery beat proves it is alive through this row."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last run"), default=timezone.now)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name: str) -> "Heartbeat":
        heartbeat, _created = cls.objects.update_or_create(
            name=name, defaults={"beat_at": timezone.now()}
        )
        return heartbeat

    @classmethod
    def last(cls, name: str):
        return cls.objects.filter(name=name).values_list("beat_at", flat=True).first()


class PendingTask(models.Model):
    """A task a change asked for, kept until the broker has taken it (portal.outbox).

    Written in the same transaction as the change: if the change commits, the task is
    queued then, or later by the beat if the broker was down; if it rolls back, neither
    exists. Deleted once queued."""

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"], name="pending_task_created_idx")]

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)}"
