from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from joinedup import api
from joinedup.partnership.views import shell as partnership_views

# 400, 403 and 404 use Django's handlers, which render templates/400.html, 403.html and 404.html.
handler500 = "joinedup.partnership.views.errors.server_error"
# Except under /api/, where a 404 is JSON (see joinedup.api.page_not_found).
handler404 = "joinedup.api.page_not_found"

urlpatterns = [
    path("healthz", partnership_views.healthz, name="healthz"),
    path("accessibility/", partnership_views.accessibility, name="accessibility"),
    path("privacy/", partnership_views.privacy, name="privacy"),
    path("cookies/", partnership_views.cookies, name="cookies"),
    path("accounts/login/", partnership_views.sign_in, name="login"),
    path("accounts/logout/", partnership_views.sign_out, name="logout"),
    path("accounts/password-reset/", partnership_views.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("django-admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("learning/", include("joinedup.learning.urls")),
    path("levy/", include("joinedup.levy.urls")),
    path("materials/", include("joinedup.materials.urls")),
    path("talent/", include("joinedup.talent.urls")),
    path("network/", include("joinedup.network.urls")),
    path("apprenticeships/", include("joinedup.apprenticeships.urls")),
    path("", include("joinedup.partnership.urls")),
]
