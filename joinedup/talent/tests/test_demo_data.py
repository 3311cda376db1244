"""The demo's talent story, loaded by `joinedup demo` through the app demo hook."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db.models import F
from django.test import Client, override_settings
from django.utils import timezone

from joinedup.partnership.actor import Actor
from joinedup.partnership.demo_plan import DEMO_PASSWORD
from joinedup.partnership.models import (
    Employment,
    Organisation,
    Partnership,
    PartnershipRole,
    PartnershipRoleGrant,
    Person,
)
from joinedup.talent import access, figures, recommendations, skills
from joinedup.talent.demo_data import MENTORING_LEAD_LABEL, PAST_TITLE, SCHEME_NAME, STAR_TITLE
from joinedup.talent.models import (
    AgreementStatus,
    Application,
    MentoringRole,
    MentoringSignup,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    ParticipantPreference,
    PriorExperience,
    Profile,
    RotationScheme,
    SecondmentAgreement,
    Skill,
    SkillStatus,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TALENT_MODELS = (Skill, Profile, Opportunity, Application, MentoringSignup, Employment, Person)


def login_of(demo, label: str) -> Person:
    email = next(login.email for login in demo.logins if login.persona == label)
    return Person.objects.get(email=email)


def actor_of(person: Person) -> Actor:
    job = Employment.objects.current().filter(person=person).select_related("organisation").first()
    return Actor(person=person, organisation=job.organisation)


def partnership() -> Partnership:
    return Partnership.objects.get(name="West and North London")


def test_the_vocabulary_is_curated_with_synonyms(demo, db):
    curated = Skill.objects.filter(partnership=partnership(), status=SkillStatus.CURATED)
    assert curated.count() >= 25
    found = skills.find(partnership(), ["MI", "Child protection", "Partnership working", "QI"])
    assert {name: skill.name for name, skill in found.items()} == {
        "mi": "Management information",
        "child protection": "Safeguarding",
        "partnership working": "Multi-agency working",
        "qi": "Quality improvement",
    }
    # What people typed that is not in the vocabulary stays a free entry for leads to curate.
    assert Skill.objects.filter(partnership=partnership(), status=SkillStatus.FREE, name="SQL")


def test_about_thirty_profiles_across_the_partnership_most_of_them_discoverable(demo, db):
    profiles = Profile.objects.filter(partnership=partnership())
    assert 25 <= profiles.count() <= 35
    assert profiles.filter(discoverable=True).count() >= 0.75 * profiles.count()
    assert profiles.values("organisation").distinct().count() >= 15
    assert len(set(profiles.values_list("sector", flat=True))) >= 4
    for profile in profiles:
        assert profile.profile_skills.count() >= 4, profile
        assert profile.aspiration_kinds and profile.aspiration_sectors, profile
    # Earlier work in another sector than the one they are in now.
    elsewhere = PriorExperience.objects.filter(profile__in=profiles).exclude(
        sector=F("profile__sector")
    )
    assert elsewhere.count() >= 20


def test_the_council_officer_is_recommended_the_part_time_secondment_at_the_trust(demo, db):
    sam = login_of(demo, "Own-organisation staff")
    profile = Profile.objects.get(person=sam)
    assert profile.discoverable
    assert profile.organisation.official_code == "E09000003"
    star = Opportunity.objects.get(title=STAR_TITLE)
    assert (star.kind, star.status, star.host.official_code) == (
        OpportunityKind.SECONDMENT_PART,
        OpportunityStatus.OPEN,
        "R1K",
    )
    recommended = recommendations.recommended_for(actor_of(sam))
    assert recommended[0].opportunity == star
    # The trust's L&D lead (a demo login) finds him among the people who might fit.
    lead = login_of(demo, "Partner L&D lead")
    assert star.contact == lead
    fits = recommendations.people_who_might_fit(actor_of(lead), star)
    assert profile in [fit.profile for fit in fits[:3]]


def test_every_kind_of_opportunity_is_open_and_one_has_closed(demo, db):
    open_ones = Opportunity.objects.filter(status=OpportunityStatus.OPEN)
    assert set(open_ones.values_list("kind", flat=True)) == set(OpportunityKind.values)
    assert open_ones.values("host").distinct().count() >= 8
    assert Opportunity.objects.filter(status=OpportunityStatus.CLOSED).exists()
    assert Application.objects.filter(opportunity__status=OpportunityStatus.OPEN).count() == 2


def test_one_secondment_has_ended_and_the_secondee_is_back(demo, db):
    agreement = SecondmentAgreement.objects.get(application__opportunity__title=PAST_TITLE)
    assert agreement.status == AgreementStatus.ENDED
    assert agreement.ends_on < timezone.localdate()
    assert agreement.returned_on and agreement.person_feedback and agreement.host_feedback
    assert agreement.secondment_employment.end_date == agreement.ends_on
    assert agreement.recharge_entry_id is not None
    assert agreement.home_organisation.kind == "london_borough"
    assert agreement.host_organisation.official_code == "Z9B2Z"


def test_the_rotation_scheme_has_a_cohort_with_round_one_posts_and_preferences(demo, db):
    scheme = RotationScheme.objects.get(name=SCHEME_NAME)
    cohort = scheme.cohorts.get()
    first = cohort.rotation_rounds.get(number=1)
    assert cohort.participants.count() >= 6
    assert first.posts.count() == 6
    assert first.posts.values("host").distinct().count() == 6
    ranked = ParticipantPreference.objects.filter(post__round=first)
    assert ranked.values("participant").distinct().count() == cohort.participants.count()
    assert first.posts.filter(rankings__isnull=False).distinct().count() == 3


def test_mentors_and_mentees_from_many_organisations_wait_for_the_mentoring_lead(demo, db):
    signups = MentoringSignup.objects.filter(partnership=partnership(), active=True)
    mentors = signups.filter(role=MentoringRole.MENTOR)
    mentees = signups.filter(role=MentoringRole.MENTEE)
    assert mentors.count() >= 6 and mentees.count() >= 8
    assert signups.values("organisation").distinct().count() >= 12
    lead = login_of(demo, MENTORING_LEAD_LABEL)
    grant = PartnershipRoleGrant.objects.get(person=lead)
    assert (grant.role, grant.partnership) == (PartnershipRole.MENTORING_LEAD, partnership())
    assert access.may_lead_mentoring(actor_of(lead))


def test_the_mentoring_lead_signs_in_with_the_demo_password(demo, db):
    login = next(login for login in demo.logins if login.persona == MENTORING_LEAD_LABEL)
    assert login.organisation == Organisation.objects.get(official_code="Z9B2Z").name
    client = Client()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        response = client.post(
            "/accounts/login/", {"username": login.email, "password": DEMO_PASSWORD}
        )
    assert response.status_code == 302


def test_leavers_of_the_past_year_give_the_leakage_figures(demo, db):
    members = Organisation.objects.filter(memberships__partnership=partnership()).distinct()
    start, end = figures.last_twelve_months(timezone.localdate())
    leakage = figures.leakage_figures(
        list(members), frozenset(members.values_list("pk", flat=True)), start, end
    )
    assert leakage.total.leavers >= 13
    assert sum(row.figures.leavers for row in leakage.by_month) == leakage.total.leavers
    assert len([row for row in leakage.by_organisation if row.figures.leavers]) >= 10


def test_running_the_demo_again_adds_nothing_and_prints_the_mentoring_lead(demo, db):
    assert demo.created["talent profiles"] >= 25
    before = {model: model.objects.count() for model in TALENT_MODELS}
    output = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("demo", stdout=output)
    assert {model: model.objects.count() for model in TALENT_MODELS} == before
    text = output.getvalue()
    assert "nothing to add" in text
    assert MENTORING_LEAD_LABEL in text
    assert login_of(demo, MENTORING_LEAD_LABEL).email in text
