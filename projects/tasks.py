from patio.celery import shared_task
from projects import emails
from projects.services.matching_runs import (
    match_run_claim,
    match_run_execute,
    match_runs_fail_lost,
)
from projects.services.notifications import notifications_record


@shared_task(
    family="alerts", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def notify_fitting_people(opportunity_id: int) -> int:
    """Record who an opened opportunity fits and email those who want it now.

    Idempotent: safe to retry and to run twice; nobody is mailed twice. Returns emails sent."""
    notifications_record(opportunity_id=opportunity_id)
    return emails.opportunity_notifications_send(opportunity_id=opportunity_id)


@shared_task(family="matching", acks_late=True, reject_on_worker_lost=True)
def run_matching(run_id: int) -> str:
    """Run one queued matching run. Idempotent: the run is claimed with a conditional UPDATE,
    so a second delivery finds it taken and does nothing. Returns the run's final status."""
    if not match_run_claim(run_id=run_id):
        return "skipped"
    # Past the soft time limit the run is failed with its reason before the error leaves.
    return match_run_execute(run_id=run_id).status


@shared_task(family="housekeeping", acks_late=True)
def fail_lost_match_runs() -> int:
    """Beat, every minute: fail the runs whose worker stopped beating. Idempotent."""
    return match_runs_fail_lost()


@shared_task(
    family="invitations", acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_team_invitations(project_id: int) -> int:
    """Email every invitee of the project who has not had their email. Returns emails sent."""
    return emails.team_invitations_send(project_id=project_id)
