"""The pages, one module per subdomain: `opportunities`, `teams` and `matching_runs` (the
matching page). `projects/urls.py` names each view by its module."""
