"""Thread and post pages of the network app (see urls.py)."""

from django.urls import path

from .views import posts

urlpatterns = [
    path("spaces/<int:space_pk>/threads/new/", posts.thread_new, name="thread-new"),
    path("threads/<int:pk>/", posts.thread, name="thread"),
    path("threads/<int:pk>/reply/", posts.thread_reply, name="thread-reply"),
    path("posts/<int:pk>/edit/", posts.post_edit, name="post-edit"),
    path("posts/<int:pk>/delete/", posts.post_delete, name="post-delete"),
    path("attachments/<int:pk>/", posts.attachment, name="attachment"),
]
