"""Moderation pages of the network app (see urls.py): the code of conduct, reporting a post, the
moderators' queue and actions, and a space's moderation log."""

from django.urls import URLPattern, path

from .views import moderation

urlpatterns: list[URLPattern] = [
    path("code-of-conduct/", moderation.code_of_conduct, name="code-of-conduct"),
    path("posts/<int:pk>/report/", moderation.post_report, name="post-report"),
    path("moderation/", moderation.queue, name="moderation"),
    path("posts/<int:pk>/hide/", moderation.post_hide, name="post-hide"),
    path("posts/<int:pk>/restore/", moderation.post_restore, name="post-restore"),
    path("threads/<int:pk>/lock/", moderation.thread_lock, name="thread-lock"),
    path("threads/<int:pk>/unlock/", moderation.thread_unlock, name="thread-unlock"),
    path("reports/<int:pk>/dismiss/", moderation.report_dismiss, name="report-dismiss"),
    path("spaces/<int:pk>/moderation-log/", moderation.space_log, name="space-moderation-log"),
]
