"""Background tasks of discussion e-mails, run by `joinedup worker` through django-tasks."""

from __future__ import annotations

from django_tasks import task

from . import notices


@task()
def send_post_notices(post_id: int) -> int:
    """E-mail a new post to the members who asked for every post; return how many went."""
    return notices.send_post(post_id)
