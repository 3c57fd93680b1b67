# The production image: gunicorn serves the site; the same image runs the Celery worker and beat.
#   docker build -t patio .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/app/.venv/bin:$PATH

# pg_dump and pg_restore for `manage.py backup` and `restore` (docs/operations.md): Debian
# bookworm's client is PostgreSQL 15, the server the compose file runs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The same uv as the Makefile installs.
RUN pip install --no-cache-dir --disable-pip-version-check uv==0.13.9

WORKDIR /app

# Dependencies first, from the lock file only: this layer is rebuilt when the lock changes, not
# when the code does.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .

# Static files are collected (and compressed by WhiteNoise) at build time. The settings need a
# SECRET_KEY to load: this one exists only during the build and signs nothing.
RUN DEBUG=0 SECRET_KEY=build-time-only-not-used-at-runtime PATIO_VAR_DIR=/tmp/patio-build \
    python manage.py collectstatic --no-input \
    && rm -rf /tmp/patio-build

# Run as an unprivileged user; it owns only the folders for uploads and the open-data dumps
# (mount a volume on each).
RUN useradd --system --uid 10001 --home-dir /app --no-create-home patio \
    && mkdir -p /app/var/media /app/var/open-data \
    && chown -R patio:patio /app/var
USER patio

ENV PATIO_VAR_DIR=/app/var
EXPOSE 8000
CMD ["gunicorn", "patio.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
