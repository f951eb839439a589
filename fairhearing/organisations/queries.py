from django.conf import settings

from .models import Organisation


def organisation_default() -> Organisation:
    """The organisation this installation serves (FAIRHEARING_ORGANISATION, else the first)."""
    slug = getattr(settings, "FAIRHEARING_ORGANISATION", "")
    queryset = Organisation.objects.all()
    if slug:
        return queryset.get(slug=slug)
    organisation = queryset.order_by("pk").first()
    if organisation is None:
        raise Organisation.DoesNotExist("no organisation is set up: run `fairhearing load_demo`")
    return organisation
