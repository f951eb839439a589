from django.conf import settings
from django.db import models
from django.utils import timezone

NAME_MAX = 60
QUERY_MAX = 500


class SavedView(models.Model):
    """A case list a user keeps under a name: its queue, filters and sort, as the list's query
    string (`queries.saved_query_clean`). Never a search: a search may be a person's name,
    which is kept encrypted everywhere else."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=NAME_MAX)
    query = models.CharField(max_length=QUERY_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
