"""Reads shared by the pages, the API, the feed and the tasks, one module per subdomain:
`opportunities`, `teams` and `matching_runs`. Callers import the module."""
