"""Every URL pattern of the project, found by walking Django's resolver."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class RouteInfo:
    key: str  # "namespace:name", or "namespace:<pattern>" for a pattern without a name
    name: str | None  # what reverse() takes
    namespace: str  # "" at the top level
    pattern: str  # the full pattern, for messages
    params: tuple[str, ...]  # the keyword arguments the route takes


def _walk(resolver: URLResolver, prefix: str, namespace: str, params: tuple[str, ...]):
    for entry in resolver.url_patterns:
        entry_params = params + tuple(entry.pattern.regex.groupindex)
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry, pattern, inner, entry_params)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            key = name or f"{namespace}:<{pattern}>"
            yield RouteInfo(key, name, namespace, pattern, entry_params)


def all_routes() -> Iterator[RouteInfo]:
    """Every URL pattern, included ones too, keyed by its namespaced name."""
    yield from _walk(get_resolver(), "", "", ())
