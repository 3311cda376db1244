"""The workplace project through the services: proposing with a 12-week plan, changing it while
proposed, approving the scope, milestones, submitting with a file, the sponsor's sign-off, and the
refusals (each naming the field)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.apprenticeships import projects
from joinedup.apprenticeships.models import Enrolment, ProjectState, WorkplaceProject
from joinedup.lib import uploads
from joinedup.partnership import notifications
from joinedup.partnership.models import AuditEvent

from .gateway_scene import PLAN, STARTS, GatewayScene, build, propose

pytestmark = pytest.mark.django_db
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def scene() -> GatewayScene:
    return build()


def _fields(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


def test_the_apprentice_proposes_a_project_with_a_12_week_plan(scene):
    project = propose(scene)
    assert project.state == ProjectState.PROPOSED
    assert project.sponsor == scene.sponsor.person
    assert [(m.week, m.title) for m in project.milestones.all()] == [
        (row.week, row.title) for row in PLAN
    ]
    assert AuditEvent.objects.filter(action="project.proposed", object_id=str(project.pk)).exists()


def test_the_sponsor_is_found_among_the_employers_staff_by_work_email(scene):
    assert projects.find_sponsor(scene.enrolment, "SARA@brent.test") == scene.sponsor.person
    with pytest.raises(ValidationError) as error:
        projects.find_sponsor(scene.enrolment, scene.outsider.person.email)
    assert _fields(error) == {"sponsor_email"}


def test_only_the_apprentice_proposes(scene):
    with pytest.raises(ValidationError, match="Only the apprentice"):
        projects.propose(
            actor=scene.tutor,
            enrolment=scene.enrolment,
            title="Mine",
            scope="Scope",
            sponsor=scene.sponsor.person,
            starts_on=STARTS,
            milestones=PLAN,
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"scope": ""}, "scope"),
        ({"starts_on": None}, "starts_on"),
        ({"starts_on": dt.date(2028, 7, 1)}, "starts_on"),
        ({"starts_on": dt.date(2026, 8, 1)}, "starts_on"),
        ({"milestones": [projects.PlannedMilestone(3, " ")]}, "milestones"),
        ({"milestones": [projects.PlannedMilestone(13, "Late")]}, "milestones"),
    ],
)
def test_a_bad_proposal_is_refused_naming_the_field(scene, change, field):
    values = {
        "title": "A shared front door",
        "scope": "Scope",
        "sponsor": scene.sponsor.person,
        "starts_on": STARTS,
        "milestones": PLAN,
        **change,
    }
    with pytest.raises(ValidationError) as error:
        projects.propose(actor=scene.apprentice, enrolment=scene.enrolment, **values)
    assert _fields(error) == {field}
    assert not WorkplaceProject.objects.exists()


def test_a_sponsor_outside_the_employer_or_the_apprentice_is_refused(scene):
    for sponsor in (scene.outsider.person, scene.apprentice.person):
        with pytest.raises(ValidationError) as error:
            projects.propose(
                actor=scene.apprentice,
                enrolment=scene.enrolment,
                title="T",
                scope="S",
                sponsor=sponsor,
                starts_on=STARTS,
                milestones=PLAN,
            )
        assert _fields(error) == {"sponsor_email"}


def test_the_proposal_changes_until_the_scope_is_approved(scene):
    propose(scene)
    changed = projects.propose(
        actor=scene.apprentice,
        enrolment=scene.enrolment,
        title="A narrower front door",
        scope="Scope",
        sponsor=scene.sponsor.person,
        starts_on=STARTS,
        milestones=[projects.PlannedMilestone(12, "Present")],
    )
    assert changed.title == "A narrower front door"
    assert [m.week for m in changed.milestones.all()] == [12]
    projects.approve(actor=scene.tutor, project=changed)
    with pytest.raises(ValidationError) as error:
        propose(scene)
    assert _fields(error) == {"title"}


def test_the_tutor_or_a_programme_leader_approves_the_scope_once(scene):
    project = propose(scene)
    with pytest.raises(ValidationError, match="practice tutor or a programme leader"):
        projects.approve(actor=scene.line_manager, project=project)
    projects.approve(actor=scene.provider, project=project)
    project.refresh_from_db()
    assert project.state == ProjectState.APPROVED
    assert project.scope_approved_by == scene.provider.person
    stale = WorkplaceProject.objects.get(pk=project.pk)
    stale.state = ProjectState.PROPOSED
    with pytest.raises(ValidationError, match="now scope approved"):
        projects.approve(actor=scene.tutor, project=stale)


def test_milestones_are_marked_done_once_approved_and_only_once(scene):
    project = propose(scene)
    first = project.milestones.get(week=1)
    on = dt.date(2027, 4, 9)
    with pytest.raises(ValidationError, match="once the scope is approved"):
        projects.mark_done(actor=scene.apprentice, project=project, milestone_id=first.pk, on=on)
    projects.approve(actor=scene.tutor, project=project)
    with pytest.raises(ValidationError, match="from 5 April 2027, when the project starts"):
        projects.mark_done(
            actor=scene.apprentice, project=project, milestone_id=first.pk, on=STARTS - ONE_DAY
        )
    done = projects.mark_done(actor=scene.apprentice, project=project, milestone_id=first.pk, on=on)
    assert done.done_on == on
    with pytest.raises(ValidationError, match="already done"):
        projects.mark_done(actor=scene.apprentice, project=project, milestone_id=first.pk, on=on)
    with pytest.raises(ValidationError, match="Only the apprentice"):
        projects.mark_done(actor=scene.sponsor, project=project, milestone_id=first.pk, on=on)


def test_the_project_is_submitted_only_after_approval_with_its_file(scene):
    project = propose(scene)
    with pytest.raises(ValidationError) as error:
        projects.submit(actor=scene.apprentice, project=project, summary="Done")
    assert _fields(error) == {"summary"}
    projects.approve(actor=scene.tutor, project=project)
    upload = SimpleUploadedFile("proposal.txt", b"One front door for adult social care.\n")
    projects.submit(
        actor=scene.apprentice, project=project, summary="One front door", upload=upload
    )
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED
    assert project.file_name == "proposal.txt"
    with uploads.open_stored(project.storage_name) as stored:
        assert stored.read().startswith(b"One front door")


def test_a_submission_that_fails_deletes_its_stored_file(scene, monkeypatch):
    project = propose(scene)
    projects.approve(actor=scene.tutor, project=project)
    projects.submit(actor=scene.apprentice, project=project, summary="First")
    names = []
    real_store = uploads.store

    def store(checked):
        names.append(real_store(checked))
        return names[-1]

    monkeypatch.setattr(uploads, "store", store)
    project.state = ProjectState.APPROVED  # read before the first submission
    upload = SimpleUploadedFile("again.txt", b"Again\n")
    with pytest.raises(ValidationError) as error:
        projects.submit(actor=scene.apprentice, project=project, summary="Again", upload=upload)
    assert _fields(error) == {"summary"}
    assert len(names) == 1
    with pytest.raises(FileNotFoundError):
        uploads.open_stored(names[0])


def test_only_the_sponsor_signs_off_a_submitted_project(scene):
    project = propose(scene)
    with pytest.raises(ValidationError) as error:
        projects.sign_off(actor=scene.sponsor, project=project, comment="Good")
    assert _fields(error) == {"comment"}
    projects.approve(actor=scene.tutor, project=project)
    projects.submit(actor=scene.apprentice, project=project, summary="One front door")
    with pytest.raises(ValidationError, match="Only the project's sponsor"):
        projects.sign_off(actor=scene.employer, project=project, comment="Good")
    with pytest.raises(ValidationError) as error:
        projects.sign_off(actor=scene.sponsor, project=project, comment=" ")
    assert _fields(error) == {"comment"}
    projects.sign_off(actor=scene.sponsor, project=project, comment="A clear case")
    project.refresh_from_db()
    assert project.state == ProjectState.SIGNED_OFF
    assert project.sponsor_comment == "A clear case"


def test_whoever_acts_next_is_told_by_email_once_each_step_is_saved(
    scene, django_capture_on_commit_callbacks
):
    def step(action) -> list[tuple[list[str], str, str]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return [(message.to, message.subject, message.body) for message in mail.outbox]

    enrolment = scene.enrolment
    project_url = reverse("apprenticeships:project", args=[enrolment.pk])
    project = None

    def proposed():
        nonlocal project
        project = propose(scene)

    [(to, subject, body)] = step(proposed)
    assert to == [scene.tutor.person.email]
    assert subject == f"Workplace project to approve: {project.title}"
    assert enrolment.apprentice.full_name in body and project_url in body

    [(to, subject, _)] = step(lambda: projects.approve(actor=scene.tutor, project=project))
    assert (to, subject) == (
        [enrolment.apprentice.email],
        "Your workplace project's scope is approved",
    )

    [(to, subject, body)] = step(
        lambda: projects.submit(actor=scene.apprentice, project=project, summary="One front door")
    )
    assert (to, subject) == (
        [scene.sponsor.person.email],
        f"Workplace project to sign off: {project.title}",
    )
    assert project_url in body

    [(to, subject, body)] = step(
        lambda: projects.sign_off(actor=scene.sponsor, project=project, comment="A clear case")
    )
    assert (to, subject) == ([enrolment.apprentice.email], "Your workplace project is signed off")
    assert scene.sponsor.person.full_name in body


def test_a_proposal_without_a_tutor_asks_the_programme_leaders(
    scene, django_capture_on_commit_callbacks
):
    Enrolment.objects.filter(pk=scene.enrolment.pk).update(practice_tutor=None)
    scene.enrolment.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        propose(scene)
    assert [message.to for message in mail.outbox] == [[scene.provider.person.email]]


def test_a_failed_email_leaves_the_step_saved(
    scene, django_capture_on_commit_callbacks, monkeypatch
):
    project = propose(scene)
    projects.approve(actor=scene.tutor, project=project)

    def fail(**_message):
        raise ConnectionError("the mail server is down")

    monkeypatch.setattr(notifications, "send_email", fail)
    with django_capture_on_commit_callbacks(execute=True):
        projects.submit(actor=scene.apprentice, project=project, summary="One front door")
    project.refresh_from_db()
    assert project.state == ProjectState.SUBMITTED
