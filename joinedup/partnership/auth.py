"""Sign-in by e-mail; only people with a current employment (or operators) may sign in."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from . import access
from .models import Person


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The address a sign-in attempt used, trimmed and lower-cased: lock-out counts per account."""
    source = credentials or request.POST
    return (source.get("username") or "").strip().lower()


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ) -> Person | None:
        email = (username or kwargs.get("email") or "").strip().lower()
        if not email or password is None:
            return None
        person = Person.objects.filter(email=email).first()
        if person is None:
            Person().set_password(password)  # same work either way, so timing reveals nothing
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            return person
        return None

    def user_can_authenticate(self, user: Person) -> bool:
        return user.is_django_admin or access.can_sign_in(user)

    def get_user(self, user_id: int) -> Person | None:
        person = Person.objects.filter(pk=user_id, is_active=True).first()
        return person
