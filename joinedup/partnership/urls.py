from django.urls import path

from .views import directory, imports, manage, partnership_admin, recharges, shell, tokens

app_name = "partnership"

urlpatterns = [
    path("", shell.home, name="home"),
    path("switch-organisation/", shell.switch_organisation, name="switch-organisation"),
    path("organisations/", directory.organisations, name="organisations"),
    path("organisations/<int:pk>/", directory.organisation, name="organisation"),
    path("people/", directory.people, name="people"),
    path("people/<int:pk>/", directory.person, name="person"),
    path("profile/", directory.profile, name="profile"),
    path(
        "profile/notifications/",
        directory.profile_notifications,
        name="profile-notifications",
    ),
    path("organisations/<int:pk>/manage/", manage.manage, name="manage"),
    path("organisations/<int:pk>/manage/people/", manage.people, name="manage-people"),
    path("organisations/<int:pk>/manage/people/add/", manage.add_person, name="add-person"),
    path("organisations/<int:pk>/manage/roles/", manage.roles, name="manage-roles"),
    path("organisations/<int:pk>/manage/roles/grant/", manage.grant_role, name="grant-role"),
    path(
        "organisations/<int:pk>/manage/roles/<int:grant_pk>/remove/",
        manage.remove_role,
        name="remove-role",
    ),
    path("organisations/<int:pk>/manage/grades/", manage.grades, name="manage-grades"),
    path("organisations/<int:pk>/manage/grades/add/", manage.add_grade, name="add-grade"),
    path(
        "organisations/<int:pk>/manage/grades/<int:grade_pk>/", manage.edit_grade, name="edit-grade"
    ),
    path("organisations/<int:pk>/manage/audit/", manage.audit_log, name="manage-audit"),
    path("organisations/<int:pk>/manage/import/", imports.upload, name="staff-import"),
    path(
        "organisations/<int:pk>/manage/import/template.csv",
        imports.template,
        name="staff-import-template",
    ),
    path("imports/<int:pk>/", imports.detail, name="staff-import-detail"),
    path("imports/<int:pk>/apply/", imports.apply, name="staff-import-apply"),
    path("imports/<int:pk>/progress/", imports.progress, name="staff-import-progress"),
    path("employments/<int:pk>/", manage.employment, name="employment"),
    path("employments/<int:pk>/change-job/", manage.change_job, name="change-job"),
    path("employments/<int:pk>/leaver/", manage.record_leaver, name="record-leaver"),
    path("invitations/<str:token>/", manage.accept_invitation, name="accept-invitation"),
    path("partnership/", partnership_admin.overview, name="partnership-manage"),
    path(
        "partnership/organisations/add/",
        partnership_admin.add_organisation,
        name="add-organisation",
    ),
    path(
        "partnership/memberships/<int:pk>/end/",
        partnership_admin.end_membership,
        name="end-membership",
    ),
    path("partnership/roles/", partnership_admin.roles, name="partnership-roles"),
    path("partnership/roles/grant/", partnership_admin.grant_role, name="grant-partnership-role"),
    path(
        "partnership/roles/<int:pk>/remove/",
        partnership_admin.remove_role,
        name="remove-partnership-role",
    ),
    path("partnership/audit/", partnership_admin.audit_log, name="partnership-audit"),
    path("recharges/", recharges.statement, name="recharges"),
    path("recharges/entries/", recharges.entries, name="recharge-entries"),
    path("recharges/statement.csv", recharges.statement_csv, name="recharge-csv"),
    path("recharges/entries/<int:pk>/reverse/", recharges.reverse, name="recharge-reverse"),
    path("profile/tokens/", tokens.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", tokens.revoke, name="token-revoke"),
    path(
        "organisations/<int:pk>/manage/tokens/",
        tokens.organisation_tokens,
        name="organisation-tokens",
    ),
    path(
        "organisations/<int:pk>/manage/tokens/<int:token_pk>/revoke/",
        tokens.organisation_token_revoke,
        name="organisation-token-revoke",
    ),
]
