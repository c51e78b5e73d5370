"""Time the report pages at scale: ``python manage.py reports_benchmark``.

Bulk-inserts deterministic data (fixed seed) into the database it is pointed at — by default
5,000 members, 50 modules and 500,000 progress rows (enrolments, confidence ratings and
assignments), with supervision sessions and community posts — then requests every report page
through the Django test client, signed in as an organisation admin and as a national
coordinator, and prints p50/p95 of 20 runs per page. Refuses to run against a database that
already holds people other than its own unless ``--force``. Meant for a scratch database:

    createdb -h 127.0.0.1 -U postgres holdinghope_reports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/holdinghope_reports_bench \\
        python manage.py migrate
    DATABASE_URL=… python manage.py reports_benchmark
    dropdb -h 127.0.0.1 -U postgres holdinghope_reports_bench

``learning`` may not import the other apps, so their models are looked up by name.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.models import Membership, Organisation, OrganisationKind, Region, Role, User
from learning.permissions import NATIONAL_COORDINATORS
from learning.reports.registry import national_sections, organisation_sections

DOMAIN = "@bench.holdinghope.test"
SEED = 20261126
BATCH = 5000


class Command(BaseCommand):
    help = "Seed report data at scale into this database and time every report page."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=5000)
        parser.add_argument("--modules", type=int, default=50)
        parser.add_argument("--progress", type=int, default=500_000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--organisations", type=int, default=20)
        parser.add_argument(
            "--force", action="store_true", help="Run even if the database has other people."
        )

    def handle(self, *args, **opts):
        if User.objects.exclude(email__endswith=DOMAIN).exists() and not opts["force"]:
            raise CommandError(
                "This database already has people in it. Point DATABASE_URL at a scratch "
                "database, or add --force if you are sure."
            )
        if not Organisation.objects.filter(slug="bench-org-00").exists():
            started = time.perf_counter()
            self._seed(opts, random.Random(SEED))
            self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s.")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # VACUUM (for index-only scans) cannot run inside a transaction (tests).
                    in_tx = connection.in_atomic_block
                    cursor.execute("ANALYZE" if in_tx else "VACUUM ANALYZE")
        self._time(opts["runs"])

    # --- data ------------------------------------------------------------------------------

    def _model(self, label: str):
        return apps.get_model(label)

    @transaction.atomic
    def _seed(self, opts, rng: random.Random) -> None:
        now = timezone.now()
        today = timezone.localdate()
        kinds = [k for k in OrganisationKind.values if k != "national"]
        regions = [r for r in Region.values if r != "national"]
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench service {i:02d}",
                slug=f"bench-org-{i:02d}",
                kind=kinds[i % len(kinds)],
                region=regions[i % len(regions)],
            )
            for i in range(opts["organisations"])
        )
        password = make_password("bench-not-a-real-password")
        users = User.objects.bulk_create(
            (
                User(
                    email=f"member{i:05d}{DOMAIN}",
                    display_name=f"Bench Member {i:05d}",
                    password=password,
                )
                for i in range(opts["members"] + 50)
            ),
            batch_size=BATCH,
        )
        members, supervisors = users[: opts["members"]], users[opts["members"] :]
        admin = User.objects.create(email=f"admin{DOMAIN}", password=password)
        coordinator = User.objects.create(email=f"coordinator{DOMAIN}", password=password)
        coordinator.groups.add(Group.objects.get_or_create(name=NATIONAL_COORDINATORS)[0])
        start = today - timedelta(days=800)
        # Everyone is in the admin's organisation (the worst case for its report) and in one
        # other, so that national figures have every kind and region.
        Membership.objects.bulk_create(
            [
                *(
                    Membership(
                        user=u, organisation=orgs[0], role=Role.PRACTITIONER, started_on=start
                    )
                    for u in members
                ),
                *(
                    Membership(
                        user=u,
                        organisation=orgs[1 + i % (len(orgs) - 1)],
                        role=Role.PRACTITIONER,
                        started_on=start,
                    )
                    for i, u in enumerate(members)
                ),
                Membership(user=admin, organisation=orgs[0], role=Role.ORG_ADMIN, started_on=start),
            ],
            batch_size=BATCH,
        )
        modules, outcomes = self._modules(opts["modules"])
        self._progress(opts, rng, members, modules, outcomes, orgs[0], admin, now)
        self._supervision(rng, members, supervisors, today)
        self._community(rng, members, now)
        self.stdout.write(
            f"{len(members)} members, {len(modules)} modules, {len(orgs)} organisations."
        )

    def _modules(self, n: int):
        Page = self._model("wagtailcore.Page")
        ModuleIndexPage = self._model("modules.ModuleIndexPage")
        ModulePage = self._model("modules.ModulePage")
        LearningOutcome = self._model("modules.LearningOutcome")
        Topic = self._model("modules.Topic")
        topics = [
            Topic.objects.get_or_create(slug=f"bench-topic-{i}", defaults={"name": f"Topic {i}"})[0]
            for i in range(8)
        ]
        root = Page.get_first_root_node()
        index = root.add_child(
            instance=ModuleIndexPage(title="Bench modules", slug="bench-modules")
        )
        modules = []
        for i in range(n):
            module = ModulePage(
                title=f"Bench module {i:02d}",
                slug=f"bench-module-{i:02d}",
                summary="A module for the benchmark.",
                qualifies_for="HOPE Box delivery" if i % 10 == 0 else "",
            )
            module.learning_outcomes.add(LearningOutcome(text=f"Outcome one of {i}"))
            module.learning_outcomes.add(LearningOutcome(text=f"Outcome two of {i}"))
            module.topics.set([topics[i % len(topics)]])
            index.add_child(instance=module)
            modules.append(module)
        outcomes = {
            m.pk: list(LearningOutcome.objects.filter(page=m).values_list("pk", flat=True))
            for m in modules
        }
        return modules, outcomes

    def _progress(self, opts, rng, members, modules, outcomes, org, admin, now) -> None:
        Enrolment = self._model("modules.Enrolment")
        ConfidenceRating = self._model("modules.ConfidenceRating")
        Assignment = self._model("modules.Assignment")
        Certificate = self._model("modules.Certificate")
        total = opts["progress"]
        n_enrol = min(int(total * 0.4), len(members) * len(modules))
        n_assign = min(int(total * 0.1), len(members) * len(modules))
        per_member = max(1, n_enrol // len(members))
        enrolments, ratings, certificates, assignments = [], [], [], []
        budget_ratings = total - n_enrol - n_assign
        for i, user in enumerate(members):
            for module in rng.sample(modules, min(per_member, len(modules))):
                started = now - timedelta(days=rng.randint(1, 700))
                done = rng.random() < 0.6
                completed = started + timedelta(days=rng.randint(0, 30)) if done else None
                if completed and completed > now:
                    completed = now
                enrolments.append(
                    Enrolment(user=user, module=module, started_at=started, completed_at=completed)
                )
                if done and module.qualifies_for:
                    certificates.append(
                        Certificate(
                            user=user,
                            module=module,
                            code=f"HH-B{i:05d}-{module.pk:05d}",
                            holder_name=str(user),
                            module_title=module.title,
                            cpd_minutes=30,
                            completed_on=completed.date(),
                            status="ready",
                        )
                    )
                if done and len(ratings) < budget_ratings:
                    for outcome_id in outcomes[module.pk]:
                        ratings.append(
                            ConfidenceRating(
                                user=user,
                                module=module,
                                outcome_id=outcome_id,
                                phase="before",
                                rating=rng.randint(1, 3),
                                recorded_at=started,
                            )
                        )
                        ratings.append(
                            ConfidenceRating(
                                user=user,
                                module=module,
                                outcome_id=outcome_id,
                                phase="after",
                                rating=rng.randint(2, 5),
                                recorded_at=completed,
                            )
                        )
        today = timezone.localdate()
        pairs = [(u, m) for u in members for m in modules]
        for user, module in rng.sample(pairs, n_assign):
            assignments.append(
                Assignment(
                    organisation=org,
                    user=user,
                    module=module,
                    assigned_by=admin,
                    due_on=today + timedelta(days=rng.randint(-60, 60)),
                )
            )
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        ConfidenceRating.objects.bulk_create(ratings, batch_size=BATCH)
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        Certificate.objects.bulk_create(certificates, batch_size=BATCH)
        self.stdout.write(
            f"{len(enrolments)} enrolments, {len(ratings)} confidence ratings, "
            f"{len(assignments)} assignments ({len(enrolments) + len(ratings) + len(assignments)}"
            f" progress rows), {len(certificates)} certificates."
        )

    def _supervision(self, rng, members, supervisors, today) -> None:
        Rel = self._model("reflection.SupervisionRelationship")
        Session = self._model("reflection.SupervisionSession")
        agreed = timezone.now()
        kinds = ["clinical", "safeguarding", "restorative", "pma", "managerial"]
        rels = Rel.objects.bulk_create(
            (
                Rel(
                    supervisee=u,
                    supervisor=supervisors[i % len(supervisors)],
                    proposed_by=u,
                    kind=kinds[i % len(kinds)],
                    status="active",
                    frequency_min_weeks=4,
                    frequency_max_weeks=rng.choice([4, 6, 8]),
                    started_on=today - timedelta(days=500),
                    confidentiality="-",
                    recording="-",
                    escalation="-",
                    supervisee_agreed_at=agreed,
                    supervisor_agreed_at=agreed,
                )
                for i, u in enumerate(members[: int(len(members) * 0.8)])
            ),
            batch_size=BATCH,
        )
        sessions = [
            Session(
                relationship=r,
                author=r.supervisor,
                held_on=today - timedelta(days=rng.randint(1, 500)),
                duration_minutes=rng.choice([30, 45, 60, 90]),
                format=rng.choice(["one_to_one", "group"]),
                status="locked",
                locked_at=agreed,
            )
            for r in rels
            for _ in range(10)
        ]
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        self.stdout.write(f"{len(rels)} supervisory relationships, {len(sessions)} sessions.")

    def _community(self, rng, members, now) -> None:
        Space = self._model("community.Space")
        Thread = self._model("community.Thread")
        Post = self._model("community.Post")
        spaces = Space.objects.bulk_create(
            Space(name=f"Bench space {i}", slug=f"bench-space-{i}", description="-", guidelines="-")
            for i in range(10)
        )
        threads = Thread.objects.bulk_create(
            (
                Thread(
                    space=spaces[i % len(spaces)],
                    author=rng.choice(members),
                    title="-",
                    status="published",
                    created_at=now - timedelta(days=rng.randint(1, 500)),
                )
                for i in range(4000)
            ),
            batch_size=BATCH,
        )
        posts = [
            Post(
                thread=t,
                author=t.author,
                body_html="<p>-</p>",
                is_opening=True,
                status="published",
                created_at=t.created_at,
            )
            for t in threads
        ] + [
            Post(
                thread=t,
                author=rng.choice(members),
                body_html="<p>-</p>",
                status="published",
                created_at=t.created_at + timedelta(hours=1),
            )
            for t in threads
            for _ in range(4)
        ]
        Post.objects.bulk_create(posts, batch_size=BATCH)
        self.stdout.write(f"{len(threads)} threads, {len(posts)} posts.")

    # --- timing ----------------------------------------------------------------------------

    def _time(self, runs: int) -> None:
        org = Organisation.objects.get(slug="bench-org-00")
        admin = User.objects.get(email=f"admin{DOMAIN}")
        coordinator = User.objects.get(email=f"coordinator{DOMAIN}")
        pages = [
            (
                admin,
                f"organisation: {s.key}",
                reverse("report_organisation", args=[org.slug]) + f"?section={s.key}",
            )
            for s in organisation_sections()
        ] + [
            (
                coordinator,
                f"national: {s.key} by {g}",
                reverse("report_national") + f"?section={s.key}&group_by={g}",
            )
            for s in national_sections()
            for g in ("kind", "region")
        ]
        self.stdout.write(f"{'page':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  ({runs} runs)")
        client = Client(HTTP_HOST="localhost")
        signed_in = None
        for user, label, url in pages:
            if user != signed_in:
                client.force_login(user)
                signed_in = user
            response = client.get(url)  # warm
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            p50 = statistics.median(timings)
            p95 = (
                statistics.quantiles(timings, n=20, method="inclusive")[-1]
                if runs >= 2
                else timings[0]
            )
            self.stdout.write(f"{label:45} {p50:8.1f} {p95:8.1f} {max(timings):8.1f}")
