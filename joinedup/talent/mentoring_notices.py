"""E-mails about mentoring: both people of each published pair are told who they are paired with.

`publish_matching` calls `paired` inside its transaction; once that commits, one background task
(`mentoring_tasks.send_pairing_notices`) sends each mentor and mentee of the matching's active
pairs one e-mail. A publication that rolls back sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from joinedup.partnership.notifications import notify

from .models import MentoringMatching, MentoringPair, PairStatus

TEMPLATE = "talent_mentoring_paired"


def paired(matching: MentoringMatching) -> None:
    """Tell both people of each of the matching's pairs, after commit."""
    # Imported here: the task module imports this one.
    from .mentoring_tasks import send_pairing_notices

    matching_id = matching.pk
    transaction.on_commit(lambda: send_pairing_notices.enqueue(matching_id=matching_id))


def send(matching_id: int) -> int:
    """Send each member of the matching's active pairs their e-mail; return how many went."""
    pairs = MentoringPair.objects.filter(
        matching_id=matching_id, status=PairStatus.ACTIVE
    ).select_related(
        "mentor__person", "mentor__organisation", "mentee__person", "mentee__organisation"
    )
    sent = 0
    for pair in pairs.iterator(chunk_size=500):
        url = settings.SITE_URL + reverse("talent:mentoring-pair", kwargs={"pk": pair.pk})
        for me, other, role in (
            (pair.mentee, pair.mentor, "mentor"),
            (pair.mentor, pair.mentee, "mentee"),
        ):
            if not me.person.is_active:
                continue
            context = {"pair": pair, "other": other, "other_role": role, "pair_url": url}
            sent += bool(notify(me.person, TEMPLATE, context))
    return sent
