"""Serve the demo: what `make run` executes.

    python scripts/run.py          # http://127.0.0.1:8000
    PORT=8123 python scripts/run.py

1. Runs in the embedded mode (DEBUG=1): SQLite in var/, emails printed here, and Celery's broker a
   folder in var/broker (or Redis when REDIS_URL is set).
2. Migrates the database and loads the demo network (idempotent: a second run adds nothing).
3. Starts the web server, a Celery worker and Celery beat, and prefixes their output with their name.
4. Ctrl-C stops all three. If one of them dies, the others are stopped and this exits non-zero.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STOP_TIMEOUT = 15  # seconds a child gets to finish its work before it is killed
sys.path.insert(0, str(BASE_DIR))
# What `manage.py seed_demo` creates (plain data, no Django), printed again to be last on screen.
from members.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD  # noqa: E402

stop_requested = threading.Event()
print_lock = threading.Lock()
relays: list[threading.Thread] = []


def say(line: str) -> None:
    with print_lock:
        print(f"   run | {line}", flush=True)


def child_environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env["DEBUG"] = "1"  # the embedded mode: settings refuse to start without SECRET_KEY otherwise
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")  # links in the emails
    env.setdefault("DJANGO_SETTINGS_MODULE", "patio.settings")
    env["PYTHONUNBUFFERED"] = "1"  # lines reach the screen as they are written
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    """Run a management command in the foreground; stop everything if it fails."""
    say("manage.py " + " ".join(args))
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=False)
    if result.returncode != 0:
        say(f"manage.py {args[0]} failed (exit {result.returncode}); stopping.")
        sys.exit(result.returncode or 1)


def start(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    # Each child leads its own process group: Ctrl-C reaches only this script, which then stops
    # each group as a whole (runserver's autoreloader runs the server in a grandchild).
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        process_group=0,
    )
    relay_thread = threading.Thread(target=relay, args=(name, process), daemon=True)
    relay_thread.start()
    relays.append(relay_thread)
    return process


def relay(name: str, process: subprocess.Popen[str]) -> None:
    """Copy a child's output to ours, each line prefixed with the child's name."""
    assert process.stdout is not None  # started with stdout=PIPE
    for line in process.stdout:
        with print_lock:
            print(f"{name:>6} | {line.rstrip()}", flush=True)


def signal_group(process: subprocess.Popen[str], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop_all(children: dict[str, subprocess.Popen[str]]) -> None:
    """SIGTERM every group (Celery's worker then finishes its task), wait, then SIGKILL."""
    for process in children.values():
        signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, process in children.items():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop within {STOP_TIMEOUT} s; killing it.")
            signal_group(process, signal.SIGKILL)
            process.wait()


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        # As the server will: connections of a previous run still closing do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def wait_until_serving(port: int, children: dict[str, subprocess.Popen[str]]) -> None:
    """Print the address and the accounts once the web server accepts connections."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not stop_requested.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if children["web"].poll() is not None:
                return
            time.sleep(0.2)
    else:
        return
    var_dir = os.environ.get("PATIO_VAR_DIR", "var")
    broker = "Redis (REDIS_URL)" if os.environ.get("REDIS_URL") else f"the folder {var_dir}/broker"
    lines = [
        "",
        f"Patio is running at http://127.0.0.1:{port}",
        f"Background work: Celery worker and beat, broker {broker}.",
        "Demo accounts (password " + DEMO_PASSWORD + "):",
        *(f"  {account.email:<28} {account.role}" for account in DEMO_ACCOUNTS),
        "Press Ctrl-C to stop.",
        "",
    ]
    with print_lock:
        print("\n".join(f"   run | {line}" for line in lines), flush=True)


def main() -> int:
    raw_port = os.environ.get("PORT", "8000")
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        say(f"PORT={raw_port!r} is not a port number.")
        return 2
    port = int(raw_port)
    if port_taken(port):
        say(f"Something already listens on 127.0.0.1:{port}; stop it or choose another PORT.")
        return 2
    env = child_environment(port)

    manage("migrate", "--no-input", env=env)
    manage("seed_demo", env=env)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop_requested.set())
    celery = [PYTHON, "-m", "celery", "-A", "patio"]
    # One worker process and SQLite: the solo pool runs one task at a time, which SQLite prefers;
    # with a single worker there is nobody to mingle or gossip with.
    worker = ["worker", "--pool=solo", "--concurrency=1", "--without-mingle", "--without-gossip"]
    children = {
        "web": start("web", [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"], env),
        "worker": start("worker", [*celery, *worker, "--loglevel=INFO"], env),
        # The schedule lives in the database (django-celery-beat, CELERY_BEAT_SCHEDULER).
        "beat": start("beat", [*celery, "beat", "--loglevel=INFO"], env),
    }
    threading.Thread(target=wait_until_serving, args=(port, children), daemon=True).start()

    exit_code = 0
    while not stop_requested.wait(0.2):
        dead = {name: p.returncode for name, p in children.items() if p.poll() is not None}
        if dead:
            name, code = next(iter(dead.items()))
            say(f"{name} exited (status {code}); stopping the others.")
            exit_code = 1
            break
    else:
        say("stopping web, worker and beat…")
    stop_all(children)
    for relay_thread in relays:
        relay_thread.join(timeout=2)  # the last lines a child wrote before exiting
    say("stopped.")
    return exit_code


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C during migrate or seed_demo
        sys.exit(130)
