"""Reminder benchmark: 10k members, one assembly, real Celery workers on Redis and PostgreSQL.

    python scripts/testenv.py -- python benchmarks/reminders.py            # 10,000 members
    python scripts/testenv.py -- python benchmarks/reminders.py --members 2000 --no-kill

1. migrate, and add the members (with accounts, in many timezones, in English and Spanish) unless
   the database holds them already; one assembly starting in 30 minutes, so the hour-before
   reminder is due for every one of them;
2. start two worker processes (2 cores) and act as beat: claim the due reminders and queue their
   sending, then claim again every second (beat firing over and over is part of the test);
3. kill one worker with SIGKILL once about a third of the mail is out, start another in its place;
4. stop when every claim has been taken, and print: the time to render and hand every reminder
   to the mail backend, how many went out, how many were cut off by the kill (taken, never
   handed over: at most ten per killed worker, see TAKE_AT_ONCE) and how many people got one
   twice (must be 0).

The mail backend appends one line per message to a file, so the count is the backend's own, not
the database's opinion of it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONES = [
    "Europe/Sofia",
    "America/Argentina/Buenos_Aires",
    "America/Mexico_City",
    "Asia/Tokyo",
    "Europe/Istanbul",
    "America/Chicago",
    "Europe/Madrid",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "America/Bogota",
    "Europe/Berlin",
    "Australia/Sydney",
]
TITLE = "Benchmark assembly"


def _mail_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as f:
            return [line.split("\t", 1)[0] for line in f if line.strip()]
    except FileNotFoundError:
        return []


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")  # production-like
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "benchmarks.reminders.LineLogBackend"
    # Re-queueing early is safe (taking a reminder is a conditional UPDATE, so a second message
    # for it sends nothing); short here so the kill's lost messages come back within the run.
    settings.ASSEMBLY_REMINDER_REQUEUE_SECONDS = 10


def __getattr__(name: str) -> type:
    """`LineLogBackend`, built on first use: Django's base class needs settings loaded."""
    if name != "LineLogBackend":
        raise AttributeError(name)
    from django.core.mail import EmailMessage
    from django.core.mail.backends.base import BaseEmailBackend

    class LineLogBackend(BaseEmailBackend):
        def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
            path = os.environ["ASSEMBLY_MAIL_LOG"]
            lines = []
            for message in email_messages:
                message.message().as_bytes()  # render it all, attachment included, as SMTP would
                lines.append(f"{message.to[0]}\t{message.subject}\n")
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, "".join(lines).encode())
            finally:
                os.close(fd)
            return len(email_messages)

    globals()["LineLogBackend"] = LineLogBackend
    return LineLogBackend


def run_worker(name: str) -> None:
    _django()
    from patio.celery import app

    # A killed worker's unacknowledged message comes back after this long (1 h in production).
    app.conf.broker_transport_options = {"visibility_timeout": 10}
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            f"--hostname={name}@%h",
        ]
    )


def _seed(members: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from assemblies.models import Assembly, ReminderDelivery
    from members.models import Organisation, Person

    have = Person.objects.filter(user__email__startswith="bench-").count()
    if have < members:
        org, _ = Organisation.objects.get_or_create(
            slug="bench-coop",
            defaults={
                "name": "Bench co-op",
                "country": "BG",
                "short_description": "Benchmark",
                "status": Organisation.Status.MEMBER,
            },
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            [
                User(email=f"bench-{n}@example.coop", password=password)
                for n in range(have, members)
            ],
            batch_size=2000,
        )
        Person.objects.bulk_create(
            [
                Person(
                    user=u,
                    organisation=org,
                    display_name=f"Bench {n}",
                    timezone=ZONES[n % len(ZONES)],
                    language="es" if n % 3 == 0 else "en",
                    participation="active",
                )
                for n, u in enumerate(users, start=have)
            ],
            batch_size=2000,
        )
    Assembly.objects.filter(title=TITLE).delete()
    ReminderDelivery.objects.all().delete()
    Assembly.objects.create(
        title=TITLE,
        start=timezone.now() + timedelta(minutes=30),
        duration_minutes=90,
        link="https://meet.example.coop/bench",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-kill", action="store_true", help="do not kill a worker mid-run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args.worker)
        return 0

    _django()
    from django.core.management import call_command

    from patio.celery import app

    call_command("migrate", verbosity=0)
    print(f"seeding {args.members:,} members…", flush=True)
    _seed(args.members)
    app.control.purge()

    log = Path(tempfile.mkdtemp(prefix="reminders-bench-")) / "mail.log"
    workers = Workers(log)
    try:
        for n in range(args.workers):
            workers.start(f"w{n}")
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5) or []) < args.workers:  # the clock starts here
            if time.monotonic() > deadline:
                print("the workers did not start", file=sys.stderr)
                return 2
        elapsed, killed = _drive(args.members, workers, log, kill=not args.no_kill)
        time.sleep(2)  # a wrong second send would land now
    finally:
        workers.stop()
        app.control.purge()
    return _report(args.members, log, elapsed, killed)


class Workers:
    """The Celery worker processes, each logging to a file beside the mail log."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.env = {**os.environ, "ASSEMBLY_MAIL_LOG": str(log)}
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str) -> None:
        # The child keeps its own copy of the file's descriptor; ours is closed at once.
        with open(self.log.with_name(f"{name}.err"), "w") as err:
            worker = subprocess.Popen(
                [sys.executable, __file__, "--worker", name],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        self.processes.append(worker)

    def kill_first(self) -> None:
        first = self.processes.pop(0)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()

    def stop(self) -> None:
        for worker in self.processes:
            worker.terminate()
        for worker in self.processes:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()


def _drive(members: int, workers: Workers, log: Path, *, kill: bool) -> tuple[float, bool]:
    """Act as beat until every reminder is taken, killing a worker a third of the way in;
    returns the time it took and whether a worker was killed."""
    from tqdm import tqdm

    from assemblies.models import ReminderDelivery
    from assemblies.tasks import dispatch_reminders

    killed = False
    began = time.monotonic()
    last_dispatch = 0.0
    with tqdm(total=members, unit="mail", desc="reminders") as bar:
        while True:
            now = time.monotonic()
            if now - last_dispatch >= 1.0:
                dispatch_reminders.apply()  # what beat does, every second
                last_dispatch = now
            sent = len(_mail_lines(str(log)))
            bar.update(sent - bar.n)
            if kill and not killed and sent >= members // 3:
                workers.kill_first()
                workers.start("replacement")
                killed = True
                bar.write(f"killed a worker after {sent:,} emails; started another")
            untaken = ReminderDelivery.objects.filter(attempted_at__isnull=True).count()
            if ReminderDelivery.objects.exists() and untaken == 0:
                break
            if now - began > 600:
                bar.write("gave up after 10 minutes")
                break
            time.sleep(0.2)
        bar.update(len(_mail_lines(str(log))) - bar.n)
    return time.monotonic() - began, killed


def _report(members: int, log: Path, elapsed: float, killed: bool) -> int:
    from assemblies.models import ReminderDelivery

    emails = Counter(_mail_lines(str(log)))
    duplicates = sum(n - 1 for n in emails.values() if n > 1)
    never = ReminderDelivery.objects.count() - len(emails)
    print()
    print(f"members                 {members:>10,}")
    print(f"reminders handed over   {sum(emails.values()):>10,}")
    print(f"time                    {elapsed:>10.1f} s  (target ≤ 30 s on 2 cores)")
    print(f"per second              {sum(emails.values()) / elapsed:>10,.0f}")
    print(f"worker killed mid-run   {'yes' if killed else 'no':>10}")
    print(f"cut off by the kill     {never:>10,}  (taken, never handed over; at most 10 per kill)")
    print(f"duplicates              {duplicates:>10,}  (must be 0)")
    print(f"worker logs             {log.parent}")
    return 1 if duplicates else 0


if __name__ == "__main__":
    sys.exit(main())
