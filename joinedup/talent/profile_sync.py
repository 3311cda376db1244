"""Keeping each talent profile's copy of the person's main job current.

`partnership` may not import `talent`, so the talent app listens: every saved employment re-syncs
its person's profile in the same transaction (`on_employment_saved`, connected in apps.py), and a
daily job catches jobs that start or end by the calendar alone, without a save
(`sync_changed_today`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from joinedup.partnership.models import Employment

from . import profiles
from .models import Profile


def on_employment_saved(sender: type, instance: Employment, **kwargs: object) -> None:
    """Re-sync the profile (if any) of the person whose employment was just saved."""
    profile = Profile.objects.filter(person_id=instance.person_id).select_related("person").first()
    if profile is not None:
        profiles.sync_employment(profile)


def sync_changed_today(today: dt.date | None = None) -> int:
    """Re-sync the profiles of people whose employment started today or ended yesterday; the
    number changed. Idempotent: a second run finds nothing to change."""
    today = today or timezone.localdate()
    people = Employment.objects.filter(
        Q(start_date=today) | Q(end_date=today - dt.timedelta(days=1))
    ).values("person_id")
    changed = 0
    for profile in Profile.objects.filter(person_id__in=people).select_related("person"):
        changed += profiles.sync_employment(profile)
    return changed
