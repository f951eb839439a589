"""The WSGI application, as gunicorn loads it in each worker."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairhearing.settings")
application = get_wsgi_application()


def settle() -> None:
    """Make a process ready to serve: import every view now rather than in its first request,
    then set what start-up made aside from the cyclic garbage collector. The modules, classes,
    URL patterns and the rest (about 240,000 objects) live as long as the process; left in the
    collector's oldest generation, every full collection walks them all, 130 to 190 ms on a slow
    day, inside whichever request set it off (docs/performance.md, "The afternoon, on a slower
    machine, and the collector's pauses")."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the property imports every URL's view
    gc.collect()
    gc.freeze()


settle()
