"""Every write that matters in projects, one module per subdomain; callers import the module.

- `opportunities`: post, edit and move an opportunity; the interest people say they have.
- `notifications`: record who an opened opportunity alerts (the fan-out task runs it).
- `teams`: projects and their team roles.
- `staffing`: queue a matching run, send its proposal as invitations, answer them.
- `matching_runs`: claim and execute a run, store its proposal, swap in an alternate.

What a Celery task runs (`notifications`, `matching_runs`) never queues a task itself, so
`projects.tasks` imports it and nothing imports back."""
