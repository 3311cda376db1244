"""The pages after a run: registers, outcomes, completion, certificates and evaluations."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from joinedup.learning.models import (
    Attendance,
    Booking,
    BookingStatus,
    DeliveryMode,
    Evaluation,
    Outcome,
    Run,
)
from joinedup.learning.tests.factories import RunFactory, SessionFactory
from joinedup.partnership.models import RechargeEntry

GOOD = {
    "rating_overall": "5",
    "rating_content": "4",
    "rating_delivery": "4",
    "rating_usefulness": "3",
    "went_well": "Real cases from our teams",
    "to_improve": "",
}


def past_run(host, **fields) -> Run:
    run = RunFactory(programme__host=host, programme__title="Motivational interviewing", **fields)
    SessionFactory(run=run, date=timezone.localdate() - dt.timedelta(days=1))
    return run


def place(world, persona: str, run: Run, **fields) -> Booking:
    return Booking.objects.create(
        run=run,
        person=world.person(persona),
        organisation=world.employments[persona].organisation,
        status=BookingStatus.CONFIRMED,
        **fields,
    )


def test_the_host_sees_the_registers_and_outcome_links_from_the_run_page(world, client_for):
    run = past_run(world.own)
    client = client_for("own_ld_lead")
    page = client.get(reverse("learning:run", args=[run.pk])).content.decode()
    assert reverse("learning:run-attendance", args=[run.pk]) in page
    overview = client.get(reverse("learning:run-attendance", args=[run.pk])).content.decode()
    assert reverse("learning:session-register", args=[run.sessions.get().pk]) in overview
    assert reverse("learning:record-outcomes", args=[run.pk]) in overview


def test_other_viewers_of_the_run_see_no_host_links_and_may_not_open_them(world, client_for):
    run = past_run(world.own)
    client = client_for("partner_ld_lead")
    page = client.get(reverse("learning:run", args=[run.pk])).content.decode()
    assert reverse("learning:run-attendance", args=[run.pk]) not in page
    assert client.get(reverse("learning:run-attendance", args=[run.pk])).status_code == 403


def test_an_outsider_cannot_find_the_hosts_pages(world, client_for):
    run = past_run(world.own)
    sam = place(world, "own_staff", run, outcome=Outcome.COMPLETED)
    client = client_for("outsider")
    for url in (
        reverse("learning:run-attendance", args=[run.pk]),
        reverse("learning:session-register", args=[run.sessions.get().pk]),
        reverse("learning:record-outcomes", args=[run.pk]),
        reverse("learning:run-evaluations", args=[run.pk]),
        reverse("learning:certificate", args=[sam.pk]),
        reverse("learning:evaluate", args=[sam.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_host_takes_a_register(world, client_for):
    run = past_run(world.own)
    session = run.sessions.get()
    sam, pat = place(world, "own_staff", run), place(world, "partner_staff", run)
    url = reverse("learning:session-register", args=[session.pk])
    client = client_for("own_ld_lead")
    page = client.get(url).content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in page
    assert world.person("partner_staff").full_name in page
    response = client.post(url, {f"present_{sam.pk}": "yes", f"present_{pat.pk}": "no"})
    assert response["Location"] == reverse("learning:run-attendance", args=[run.pk])
    assert dict(Attendance.objects.values_list("booking_id", "present")) == {
        sam.pk: True,
        pat.pk: False,
    }


def test_a_register_missing_someone_names_them_in_the_error_summary(world, client_for):
    run = past_run(world.own)
    sam, pat = place(world, "own_staff", run), place(world, "partner_staff", run)
    url = reverse("learning:session-register", args=[run.sessions.get().pk])
    response = client_for("own_ld_lead").post(
        url, {f"present_{sam.pk}": "yes", f"present_{pat.pk}": "maybe"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert f'href="#id_present_{pat.pk}"' in page
    assert f'id="id_present_{pat.pk}"' in page
    assert not Attendance.objects.exists()


def test_a_future_sessions_register_cannot_be_taken(world, client_for):
    run = RunFactory(programme__host=world.own)
    session = SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=4))
    sam = place(world, "own_staff", run)
    url = reverse("learning:session-register", args=[session.pk])
    client = client_for("own_ld_lead")
    assert "has not started yet" in client.get(url).content.decode()
    response = client.post(url, {f"present_{sam.pk}": "yes"})
    assert response.status_code == 200
    assert "once the session has started" in response.content.decode()
    assert not Attendance.objects.exists()


def test_recording_a_partners_outcome_posts_the_recharge(world, client_for):
    run = past_run(world.own)
    pat = place(world, "partner_staff", run)
    response = client_for("own_ld_lead").post(
        reverse("learning:record-outcomes", args=[run.pk]), {f"outcome_{pat.pk}": "completed"}
    )
    assert response.status_code == 302
    pat.refresh_from_db()
    assert pat.outcome == Outcome.COMPLETED
    assert RechargeEntry.objects.get().payer == world.partner


def test_an_outcome_against_the_register_is_explained_in_the_error_summary(world, client_for):
    run = past_run(world.own)
    sam = place(world, "own_staff", run)
    Attendance.objects.create(booking=sam, session=run.sessions.get(), present=False)
    response = client_for("own_ld_lead").post(
        reverse("learning:record-outcomes", args=[run.pk]), {f"outcome_{sam.pk}": "completed"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "attended no session, so record them as did not attend" in page
    assert f'href="#id_outcome_{sam.pk}"' in page


def test_the_outcome_form_suggests_did_not_attend_for_someone_absent_throughout(world, client_for):
    run = past_run(world.own)
    sam = place(world, "own_staff", run)
    Attendance.objects.create(booking=sam, session=run.sessions.get(), present=False)
    page = client_for("own_ld_lead").get(reverse("learning:record-outcomes", args=[run.pk]))
    assert 'value="no_show" checked' in page.content.decode()


def self_paced(world) -> Run:
    return RunFactory(
        programme__host=world.own,
        programme__delivery_mode=DeliveryMode.SELF_PACED,
        completion_deadline=timezone.localdate() + dt.timedelta(days=20),
    )


def test_a_self_paced_learner_marks_it_complete_from_my_learning(world, client_for):
    sam = place(world, "own_staff", self_paced(world))
    client = client_for("own_staff")
    mine = client.get(reverse("learning:my-learning")).content.decode()
    url = reverse("learning:report-completion", args=[sam.pk])
    assert url in mine
    assert "I have completed this" in mine
    response = client.post(url)
    assert response["Location"] == reverse("learning:my-learning")
    sam.refresh_from_db()
    assert sam.completion_reported_at is not None
    again = client.post(url)
    assert "already said you completed this" in again.content.decode()


def test_the_line_manager_cannot_mark_it_complete_for_them(world, client_for):
    sam = place(world, "own_staff", self_paced(world))
    url = reverse("learning:report-completion", args=[sam.pk])
    assert client_for("own_line_manager").post(url).status_code == 403
    sam.refresh_from_db()
    assert sam.completion_reported_at is None


def test_a_completer_downloads_a_pdf_certificate(world, client_for):
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.COMPLETED)
    mine = client_for("own_staff").get(reverse("learning:my-learning")).content.decode()
    url = reverse("learning:certificate", args=[sam.pk])
    assert url in mine
    response = client_for("own_staff").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    assert b"Motivational interviewing" in response.content
    assert world.person("own_staff").full_name.encode() in response.content
    assert b"London Borough of Barnet" in response.content
    assert f"JU-{sam.run_id}-{sam.pk}".encode() in response.content


def test_the_host_may_have_the_certificate_but_not_the_line_manager(world, client_for):
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.COMPLETED)
    url = reverse("learning:certificate", args=[sam.pk])
    assert client_for("own_ld_lead").get(url).status_code == 200
    assert client_for("own_line_manager").get(url).status_code == 403


def test_there_is_no_certificate_without_completion(world, client_for):
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.NOT_COMPLETED)
    url = reverse("learning:certificate", args=[sam.pk])
    assert client_for("own_staff").get(url).status_code == 404


def test_an_attendee_evaluates_the_course_from_my_learning(world, client_for):
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.COMPLETED)
    client = client_for("own_staff")
    url = reverse("learning:evaluate", args=[sam.pk])
    assert url in client.get(reverse("learning:my-learning")).content.decode()
    page = client.get(url).content.decode()
    assert "Overall, how would you rate this course?</legend>" in page
    assert page.count('type="radio"') == 20
    response = client.post(url, GOOD)
    assert response["Location"] == reverse("learning:my-learning")
    evaluation = Evaluation.objects.get(booking=sam)
    assert (evaluation.rating_overall, evaluation.went_well) == (5, "Real cases from our teams")
    mine = client.get(reverse("learning:my-learning")).content.decode()
    assert url not in mine
    assert client.get(url)["Location"] == reverse("learning:my-learning")


def test_an_incomplete_evaluation_names_the_missing_rating(world, client_for):
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.COMPLETED)
    response = client_for("own_staff").post(
        reverse("learning:evaluate", args=[sam.pk]),
        {**GOOD, "rating_delivery": "", "rating_usefulness": "9"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a rating for \u201cHow well was it delivered?\u201d" in page
    assert "Select a rating from 1 to 5" in page
    assert 'href="#id_rating_delivery"' in page
    assert not Evaluation.objects.exists()


def test_a_no_show_has_nothing_to_evaluate(world, client_for):
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.NO_SHOW)
    assert (
        client_for("own_staff").get(reverse("learning:evaluate", args=[sam.pk])).status_code == 404
    )


def test_the_host_sees_results_with_a_table_and_words_without_names(world, client_for):
    run = past_run(world.own)
    for persona, overall in (("own_staff", "5"), ("partner_staff", "2")):
        booking = place(world, persona, run, outcome=Outcome.COMPLETED)
        client_for(persona).post(
            reverse("learning:evaluate", args=[booking.pk]), {**GOOD, "rating_overall": overall}
        )
    page = client_for("own_ld_lead").get(reverse("learning:run-evaluations", args=[run.pk]))
    text = page.content.decode()
    assert "2 evaluations from 2 attendees" in text
    assert "Average rating 3.5 out of 5." in text
    assert '<th scope="row" class="govuk-table__header">5</th>' in text
    assert "<caption" in text
    assert "Real cases from our teams" in text
    assert world.person("own_staff").full_name not in text
    assert world.person("partner_staff").full_name not in text


def test_a_name_beyond_latin_1_still_gets_a_certificate(world, client_for):
    person = world.person("own_staff")
    person.family_name = "Żółć"
    person.save()
    sam = place(world, "own_staff", past_run(world.own), outcome=Outcome.COMPLETED)
    response = client_for("own_staff").get(reverse("learning:certificate", args=[sam.pk]))
    assert response.status_code == 200
    assert "Zólc".encode("latin-1") in response.content
