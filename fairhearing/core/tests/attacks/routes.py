"""Every named route with its path converters, so that the attacks cover new routes without
being told (the routes themselves are declared in core/tests/test_access_matrix.py: ROUTES)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter


@dataclass(frozen=True)
class Route:
    name: str
    converters: dict[str, type]  # path argument -> converter class

    @property
    def int_args(self) -> set[str]:
        return {arg for arg, kind in self.converters.items() if issubclass(kind, IntConverter)}


def routes(
    resolver: URLResolver | None = None, prefix: str = "", inherited=None
) -> Iterator[Route]:
    inherited = dict(inherited or {})
    for entry in (resolver or get_resolver()).url_patterns:
        converters = {**inherited, **{k: type(v) for k, v in entry.pattern.converters.items()}}
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from routes(entry, namespace, converters)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{prefix}{entry.name}", converters)


def site_routes() -> dict[str, Route]:
    """The HTML routes (the JSON API is bearer-token only: see test_csrf)."""
    return {r.name: r for r in routes() if not r.name.startswith("api:")}
