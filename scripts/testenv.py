"""Provision the real parts the test suite needs, run a command against them, then stop them.

    python scripts/testenv.py -- pytest -x

1. Installs the Debian packages that are missing (postgresql, postgresql-contrib, redis-server,
   chromium) with apt when it can, and fails with a clear message when it cannot.
2. Starts a throwaway PostgreSQL cluster and Redis server in a temporary folder, listening on
   127.0.0.1 only, on free ports.
3. Runs the command with DATABASE_URL, REDIS_URL and CHROMIUM_PATH set, and exits with its status.
   Redis has databases enough for a pytest-xdist worker per core to take two of its own.
4. Stops both servers and removes the folder, whatever happened.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGES = {
    # Debian package: a file that proves it is installed
    "postgresql": "/usr/lib/postgresql/*/bin/initdb",
    "postgresql-contrib": "/usr/share/postgresql/*/extension/pg_trgm.control",
    "redis-server": "/usr/bin/redis-server",
    "chromium": "/usr/bin/chromium",
    # makemessages, which tests/patio/test_catalogues_cover_the_source.py runs
    "gettext": "/usr/bin/xgettext",
}


def say(message: str) -> None:
    print(f"[testenv] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[testenv] ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def missing_packages() -> list[str]:
    return [name for name, proof in PACKAGES.items() if not glob.glob(proof)]


def install_packages(names: list[str]) -> None:
    say(f"installing Debian packages: {' '.join(names)} (first run only)")
    if shutil.which("apt-get") is None:
        fail(f"these packages are missing and apt-get is not available: {', '.join(names)}")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"stdout": subprocess.DEVNULL}
    update = subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, check=False, **quiet)
    install = subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *names],
        env=env,
        check=False,
        **quiet,
    )
    if update.returncode or install.returncode or missing_packages():
        fail(
            f"could not install {', '.join(names)}. Install them yourself "
            f"(sudo apt-get install {' '.join(names)}) and run again."
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    fail(f"{what} did not start listening on 127.0.0.1:{port} within {seconds:.0f} s")


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        fail(f"PostgreSQL's {name} was not found under /usr/lib/postgresql")
    return found[-1]


class Postgres:
    """A throwaway cluster owned by the postgres user (initdb refuses to run as root)."""

    def __init__(self, root: Path, keep: Path | None = None):
        self.data = (keep or root) / "pg"
        self.socket_dir = root / "pgsock"
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def start(self) -> str:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            for path in (self.data.parent, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            subprocess.run(
                [
                    *self.as_postgres,
                    pg_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "-N",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=256MB"
        )
        subprocess.run(
            [
                *self.as_postgres,
                pg_bin("pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.data.parent / "postgres.log"),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, "PostgreSQL")
        # The database commands run against (tests create their own test_patio beside it).
        exists = subprocess.run(
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-tAc",
                "SELECT 1 FROM pg_database WHERE datname = 'patio'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(
                [
                    pg_bin("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "patio",
                ],
                check=True,
            )
        return f"postgres://postgres@127.0.0.1:{self.port}/patio"

    def stop(self) -> None:
        subprocess.run(
            [*self.as_postgres, pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


class Redis:
    def __init__(self, root: Path):
        self.dir = root / "redis"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                # Two databases (broker, cache) per pytest-xdist worker; see patio/settings_test.py.
                "--databases",
                "256",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, "Redis")
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="keep the PostgreSQL cluster in var/bench-pg between runs (benchmarks reuse big seeds)",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [c for c in args.command if c != "--"] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")

    missing = missing_packages()
    if missing:
        install_packages(missing)

    root = Path(tempfile.mkdtemp(prefix="patio-testenv-", dir="/tmp"))
    os.chmod(root, 0o755)
    keep = None
    if args.keep_data:
        keep = Path("var/bench").resolve()
        keep.mkdir(parents=True, exist_ok=True)
        os.chmod(keep, 0o755)
        os.chmod(keep.parent, 0o755)
    postgres, redis = Postgres(root, keep), Redis(root)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        database_url = postgres.start()
        redis_url = redis.start()
        say(f"PostgreSQL on 127.0.0.1:{postgres.port}, Redis on 127.0.0.1:{redis.port}")
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CHROMIUM_PATH": "/usr/bin/chromium",
            "PATIO_REQUIRE_REAL_SERVICES": "1",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
        return subprocess.run(command, env=env, check=False).returncode
    finally:
        signal.signal(signal.SIGTERM, previous)
        redis.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)
        say("services stopped")


if __name__ == "__main__":
    sys.exit(main())
