"""A mail backend for tests and the benchmark that run workers in other processes: each message
handed to it becomes one line (recipient, subject, Message-ID) appended to the file
ASSEMBLY_MAIL_LOG names.

ASSEMBLY_MAIL_DELAY (seconds) makes each send take that long, like a slow SMTP server, so a test
can kill a worker in the middle of a batch."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class LineLogBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        path = os.environ["ASSEMBLY_MAIL_LOG"]
        delay = float(os.environ.get("ASSEMBLY_MAIL_DELAY", "0"))
        for message in email_messages:
            message.message()  # render it all, attachment included, as SMTP would
            if delay:
                time.sleep(delay)
            message_id = message.extra_headers.get("Message-ID", "")
            line = f"{message.to[0]}\t{message.subject}\t{message_id}\n".encode()
            # One write with O_APPEND: lines from several processes never interleave.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        return len(email_messages)


def read_log(path) -> list[str]:
    try:
        with open(path, encoding="utf-8") as f:
            return [line.split("\t")[0] for line in f if line.strip()]
    except FileNotFoundError:
        return []


def read_messages(path) -> list[tuple[str, str]]:
    """(recipient, Message-ID) for each message handed over, in order."""
    try:
        with open(path, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except FileNotFoundError:
        return []
    return [(row[0], row[2]) for row in rows]
