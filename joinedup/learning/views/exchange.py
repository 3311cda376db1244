"""Places given to and received from partners, and the value recovered by releasing places."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from joinedup.lib.charts import bar_chart
from joinedup.lib.money import pounds
from joinedup.partnership.forms import PeriodForm

from .. import access, queries


@require_GET
def exchange(request: HttpRequest) -> HttpResponse:
    """The acting organisation's places exchanged with partners and value recovered by
    releasing places; for a partnership lead, the value recovered by each host."""
    actor = request.actor
    sees_own = access.may_see_exchange(actor)
    hosts = access.exchange_hosts(actor)
    leads = hosts.exists()
    if not (sees_own or leads):
        raise PermissionDenied
    form = PeriodForm(request.GET, today=timezone.localdate())
    context: dict = {"form": form, "organisation": actor.organisation, "sees_own": sees_own}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if sees_own:
            places = queries.places_given_and_received(actor.organisation, start, end)
            context |= {
                "places": places,
                "places_chart": bar_chart(
                    [
                        (
                            f"{row.partner_name}: {row.given} given, {row.received} received",
                            [row.given, row.received],
                        )
                        for row in places
                    ]
                ),
            }
        if access.may_see_value_recovered(actor):
            recovered = queries.value_recovered_by_run(actor.organisation, start, end)
            context |= {
                "recovered": recovered,
                "recovered_value": pounds(recovered.value),
                "recovered_chart": bar_chart(
                    [(f"{row.label}: {pounds(row.value)}", [row.value]) for row in recovered.rows]
                ),
            }
        if leads:
            by_host = queries.value_recovered_by_host(hosts, start, end)
            context |= {
                "by_host": by_host,
                "by_host_value": pounds(by_host.value),
                "by_host_chart": bar_chart(
                    [(f"{row.label}: {pounds(row.value)}", [row.value]) for row in by_host.rows]
                ),
            }
    return render(request, "learning/exchange.html", context)
