"""The partnership app: home, organisation admin pages, staff import, partnership lead pages."""

from __future__ import annotations

from ..objects import STAFF
from .shapes import (
    OK,
    REDIRECT,
    directory_reader,
    grid,
    lead_of_object,
    org_admin,
    own_org_admin,
    owner_only,
    partnership_lead,
    partnership_member,
    route,
    signed_in,
    staff_record_admin,
)

ROUTES = {
    "partnership:home": route(GET=signed_in(OK)),
    "partnership:switch-organisation": route(POST=signed_in(REDIRECT)),
    # Directory: every member organisation is listed; people as far as the viewer's directory
    # reaches (staff: their own organisation; the partnership lead: every member's).
    "partnership:organisations": route(GET=signed_in(OK)),
    "partnership:organisation": route(GET=partnership_member()),
    "partnership:people": route(GET=signed_in(OK)),
    "partnership:person": route(GET=directory_reader()),
    "partnership:profile": route(GET=signed_in(OK)),
    # An empty preference form is shown again with its error.
    "partnership:profile-notifications": route(POST=signed_in(OK)),
    # API tokens: a person's own (see objects.STAFF for whose), and an organisation's.
    "partnership:tokens": route(GET=signed_in(OK), POST=signed_in(OK)),
    "partnership:token-revoke": route(GET=owner_only(STAFF), POST=owner_only(STAFF, ok=REDIRECT)),
    "partnership:organisation-tokens": route(GET=org_admin(), POST=org_admin()),
    "partnership:organisation-token-revoke": route(GET=org_admin(), POST=org_admin(REDIRECT)),
    # Organisation admin pages: the admin of that organisation only.
    "partnership:manage": route(GET=org_admin()),
    "partnership:manage-people": route(GET=org_admin()),
    "partnership:add-person": route(GET=org_admin(), POST=org_admin()),
    "partnership:manage-roles": route(GET=org_admin()),
    "partnership:grant-role": route(GET=org_admin(), POST=org_admin()),
    "partnership:remove-role": route(GET=org_admin(), POST=org_admin(REDIRECT)),
    "partnership:manage-grades": route(GET=org_admin()),
    "partnership:add-grade": route(GET=org_admin(), POST=org_admin()),
    "partnership:edit-grade": route(GET=org_admin(), POST=org_admin()),
    "partnership:manage-audit": route(GET=org_admin()),
    # Staff import: uploads belong to the organisation; nobody elsewhere knows of them.
    "partnership:staff-import": route(GET=org_admin(), POST=org_admin()),
    "partnership:staff-import-template": route(GET=org_admin()),
    "partnership:staff-import-detail": route(GET=own_org_admin()),
    "partnership:staff-import-apply": route(POST=own_org_admin(REDIRECT)),
    "partnership:staff-import-progress": route(GET=own_org_admin()),
    # A member of staff's record: their organisation's admin manages it.
    "partnership:employment": route(GET=staff_record_admin()),
    "partnership:change-job": route(GET=staff_record_admin(), POST=staff_record_admin()),
    "partnership:record-leaver": route(GET=staff_record_admin(), POST=staff_record_admin()),
    # Only the person invited sees an invitation (see objects.INVITEES); accepting it sends
    # them home.
    "partnership:accept-invitation": route(
        GET=grid(
            """
                              own      partner  outsider
            own_staff         404      200      200
            own_line_manager  404      404      404
            own_admin         404      404      404
            own_ld_lead       404      404      404
            own_levy_officer  404      404      404
            partner_staff     200      404      404
            partner_admin     404      404      404
            partner_ld_lead   404      404      404
            partnership_lead  404      404      404
            mentoring_lead    404      404      404
            space_moderator   404      404      404
            programme_leader  404      404      404
            practice_tutor    404      404      404
            apprentice        404      404      404
            outsider          404      404      404
            anonymous         login    login    login
            """
        ),
        POST=grid(
            """
                              own      partner  outsider
            own_staff         404      302      302
            own_line_manager  404      404      404
            own_admin         404      404      404
            own_ld_lead       404      404      404
            own_levy_officer  404      404      404
            partner_staff     302      404      404
            partner_admin     404      404      404
            partner_ld_lead   404      404      404
            partnership_lead  404      404      404
            mentoring_lead    404      404      404
            space_moderator   404      404      404
            programme_leader  404      404      404
            practice_tutor    404      404      404
            apprentice        404      404      404
            outsider          404      404      404
            anonymous         login    login    login
            """
        ),
    ),
    # Partnership lead pages.
    "partnership:partnership-manage": route(GET=partnership_lead()),
    "partnership:add-organisation": route(GET=partnership_lead(), POST=partnership_lead()),
    "partnership:end-membership": route(GET=lead_of_object(), POST=lead_of_object(REDIRECT)),
    "partnership:partnership-roles": route(GET=partnership_lead()),
    "partnership:grant-partnership-role": route(GET=partnership_lead(), POST=partnership_lead()),
    "partnership:remove-partnership-role": route(
        GET=lead_of_object(), POST=lead_of_object(REDIRECT)
    ),
    "partnership:partnership-audit": route(GET=partnership_lead()),
}
