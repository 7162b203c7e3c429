"""The bot as its own process (`reportbot run`), polling a Bot API stand-in in the test process:
for the tests (and benchmarks) that kill it with SIGKILL, read everything it logs, or run it
in webhook mode on a port of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from bot.standin import BotApiStandIn

CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
# settings of the developer's that must not leak into the bot under test
_OURS = ("TELEGRAM_", "ADMIN_IDS", "REPORTBOT_", "WEBHOOK_", "LOG_LEVEL")


class BotProcess:
    def __init__(
        self,
        standin: BotApiStandIn,
        db: Path | str,
        *,
        token: str,
        admin_ids: tuple[int, ...] = (1,),
        log_level: str = "INFO",
        folder: Path | None = None,
        name: str = "bot",
        code: str = CLI,
    ) -> None:
        """`db` is a store file or a postgresql:// URL; the bot runs and logs in `folder`
        (default: the file's)."""
        self.standin = standin
        self.db = db
        self.folder = folder or Path(db).parent
        self.log = self.folder / f"{Path(str(db)).name if folder is None else name}.bot.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)} | {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "ADMIN_IDS": ",".join(map(str, admin_ids)),
            "LOG_LEVEL": log_level,
        }
        self.code = code  # what `python -c` runs: the command line, or a wrapper of it
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        """Start it, and return once it is set up (it has sent its command list)."""
        after = len(self.standin.calls)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", self.code, "run", "--db", str(self.db)],
                cwd=self.folder,  # no .env there
                env=self.env,
                stdout=log,
                stderr=log,
            )
        try:
            self.standin.wait_for(lambda c: c.method == "setMyCommands", after=after, timeout=30)
        except AssertionError:
            self.kill()
            raise AssertionError(f"the bot did not start:\n{self.log_text()}") from None
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last getUpdates, nothing flushed."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> int:
        """SIGTERM, as a service manager would; returns the exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
