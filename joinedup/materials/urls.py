from django.urls import path

from . import accreditation_urls, delivery_urls, pool_urls
from .views import downloads, library, materials, public, reports, sharing

app_name = "materials"

urlpatterns = [
    path("", library.library, name="library"),
    path("mine/", materials.mine, name="mine"),
    path("new/", materials.create, name="create"),
    path("<int:pk>/", materials.material, name="material"),
    path("<int:pk>/edit/", materials.edit, name="edit"),
    path("<int:pk>/versions/new/", materials.new_version, name="new-version"),
    path("versions/<int:pk>/download/", downloads.download, name="download"),
    path("<int:pk>/adapt/", sharing.adapt, name="adapt"),
    path("<int:pk>/reuse/", sharing.record_reuse, name="record-reuse"),
    path("<int:pk>/publish/", sharing.publish, name="publish"),
    path("<int:pk>/withdraw/", sharing.withdraw, name="withdraw"),
    path("<int:pk>/report/", reports.report, name="report"),
    path("<int:pk>/hide/", reports.hide, name="hide"),
    path("<int:pk>/unhide/", reports.unhide, name="unhide"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<int:pk>/hide/", reports.report_hide, name="report-hide"),
    path("reports/<int:pk>/dismiss/", reports.report_dismiss, name="report-dismiss"),
    # Public pages: anyone, signed in or not (see PUBLIC_PREFIXES in partnership/middleware.py).
    path("open/", public.open_list, name="open-list"),
    path("open/<int:pk>/", public.open_material, name="open-material"),
    path("open/<int:pk>/download/", public.open_download, name="open-download"),
    *accreditation_urls.urlpatterns,
    *pool_urls.urlpatterns,
    *delivery_urls.urlpatterns,
]
