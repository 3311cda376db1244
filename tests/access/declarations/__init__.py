"""Every route's declaration, gathered from one table per area.

`ROUTES` maps a route's namespaced name to its declaration; `GROUPS` declares every route of a
namespace at once (the Django admin), with `ROUTES` taking precedence for named exceptions.
"""

from __future__ import annotations

from . import (
    api,
    api_learning,
    api_learning_commissions,
    api_learning_plans,
    api_levy_ledger,
    api_levy_optimiser,
    api_levy_pledges,
    api_levy_setup,
    api_materials,
    api_materials_deliveries,
    api_materials_pool,
    api_trainers_accreditations,
    django_admin,
    learning,
    learning_attendance,
    learning_calendar,
    learning_commissions,
    learning_exchange,
    learning_host,
    learning_plans,
    learning_reservations,
    learning_team,
    levy_ledger,
    levy_optimiser,
    levy_pledges,
    levy_setup,
    materials,
    materials_accreditations,
    materials_deliveries,
    materials_library,
    materials_pool,
    partnership,
    partnership_recharges,
    shell,
)
from .shapes import Route


def _discovered_areas() -> list:
    """The talent, network and apprenticeship apps' declarations: every `talent*`,
    `api_talent*`, `network*`, `api_network*`, `apprenticeships*` and `api_apprenticeships*`
    module here."""
    import importlib
    import pkgutil
    from pathlib import Path

    names = [module.name for module in pkgutil.iter_modules([str(Path(__file__).parent)])]
    return [
        importlib.import_module(f"{__package__}.{name}")
        for name in sorted(names)
        if name.startswith(
            (
                "talent",
                "api_talent",
                "network",
                "api_network",
                "apprenticeships",
                "api_apprenticeships",
            )
        )
    ]


DISCOVERED_AREAS = _discovered_areas()

TABLES = (
    shell.ROUTES,
    partnership.ROUTES,
    django_admin.ROUTES,
    api.ROUTES,
    api_learning.ROUTES,
    api_learning_commissions.ROUTES,
    api_learning_plans.ROUTES,
    api_levy_ledger.ROUTES,
    api_levy_pledges.ROUTES,
    api_levy_optimiser.ROUTES,
    api_levy_setup.ROUTES,
    api_materials.ROUTES,
    api_materials_pool.ROUTES,
    api_trainers_accreditations.ROUTES,
    api_materials_deliveries.ROUTES,
    learning.ROUTES,
    learning_attendance.ROUTES,
    learning_calendar.ROUTES,
    learning_commissions.ROUTES,
    learning_exchange.ROUTES,
    learning_host.ROUTES,
    learning_plans.ROUTES,
    learning_reservations.ROUTES,
    learning_team.ROUTES,
    levy_ledger.ROUTES,
    levy_optimiser.ROUTES,
    levy_pledges.ROUTES,
    levy_setup.ROUTES,
    materials.ROUTES,
    materials_accreditations.ROUTES,
    materials_deliveries.ROUTES,
    materials_library.ROUTES,
    materials_pool.ROUTES,
    partnership_recharges.ROUTES,
    *(getattr(area, "ROUTES", {}) for area in DISCOVERED_AREAS),
)
OPERATIONS = {
    **api.OPERATIONS,
    **api_learning.OPERATIONS,
    **api_learning_commissions.OPERATIONS,
    **api_learning_plans.OPERATIONS,
    **api_levy_ledger.OPERATIONS,
    **api_levy_pledges.OPERATIONS,
    **api_levy_optimiser.OPERATIONS,
    **api_levy_setup.OPERATIONS,
    **api_materials.OPERATIONS,
    **api_materials_pool.OPERATIONS,
    **api_trainers_accreditations.OPERATIONS,
    **api_materials_deliveries.OPERATIONS,
}
for area in DISCOVERED_AREAS:
    OPERATIONS.update(getattr(area, "OPERATIONS", {}))

ROUTES: dict[str, Route] = {}
for table in TABLES:
    clash = ROUTES.keys() & table.keys()
    assert not clash, f"declared twice: {sorted(clash)}"
    ROUTES.update(table)

GROUPS: dict[str, Route] = dict(django_admin.GROUPS)


def declaration_for(key: str) -> Route:
    """The route's own declaration, or its namespace's group declaration."""
    if key in ROUTES:
        return ROUTES[key]
    return GROUPS[key.split(":", 1)[0]]


def is_declared(key: str) -> bool:
    return key in ROUTES or (":" in key and key.split(":", 1)[0] in GROUPS)
