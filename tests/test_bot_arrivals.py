"""Reports stored by another process while the bot runs: `reportbot ingest` in its own process
stores them and queues their notices; the running bot answers from them and sends the notices,
one digest per subscribed chat for a batch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ADMIN, ask, subscribe_group

from bot.notices import DIGEST_TITLES
from bot.standin import BotApiStandIn
from store.library.interface import BATCH_SIZE

CLI = "import sys; from bot.cli import main; sys.exit(main(sys.argv[1:]))"
MILLS, CRICKET = -1301, -1302
BATCH = BATCH_SIZE + 44  # two commits
FERNCOMBE = (
    "Tidal mill at Ferncombe reopens\n\nThe wheel of the Ferncombe tide mill was restored by "
    "69 volunteers over three winters, miller Dora Pell said.\n"
)


def first_lines(standin: BotApiStandIn, chat_id: int, after: int) -> list[str]:
    return [c.text.splitlines()[0] for c in standin.delivered(chat_id, "sendMessage", after=after)]


def write_reports(folder: Path, count: int) -> list[str]:
    """`count` report files, in the order ingest takes them; their titles."""
    folder.mkdir()
    reports = [FERNCOMBE] + [
        f"Tidal mill {n} reopens on the estuary\n\nThe tidal mill number {n} ground its first "
        f"flour in a century on Saturday, its {n + 12} volunteers said.\n"
        for n in range(1, count)
    ]
    for n, text in enumerate(reports):
        (folder / f"mill-{n:03d}.txt").write_text(text)
    return [text.split("\n")[0] for text in reports]


def test_an_ingest_while_the_bot_runs_is_answered_and_announced_as_one_digest(
    standin: BotApiStandIn, bot, library_db: Path, tmp_path: Path
) -> None:
    subscribe_group(standin, MILLS, "tidal mill")
    subscribe_group(standin, CRICKET, "cricket")
    subscribed = len(standin.calls)
    titles = write_reports(tmp_path / "mills", BATCH)

    ingest = subprocess.run(
        [sys.executable, "-c", CLI, "ingest", str(tmp_path / "mills"), "--db", str(library_db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout.startswith(f"stored {BATCH}, ")

    digest = standin.wait_for(
        lambda c: c.ok and c.method == "sendMessage" and c.chat_id == MILLS,
        after=subscribed,
        timeout=30,
    )
    assert digest.text.splitlines() == [
        f"{BATCH} new reports in the library:",
        *(f"• {title}" for title in titles[:DIGEST_TITLES]),
        f"and {BATCH - DIGEST_TITLES} more.",
    ]
    assert "69 volunteers" in ask(standin, "how many volunteers restored the ferncombe wheel").text

    # a report that both groups follow: the last message each of them gets
    mark = len(standin.calls)
    added = ask(
        standin,
        "/add Cricket club buys the tidal mill\n\nThe cricket club bought the old tidal mill.",
        who=ADMIN,
    )
    assert added.text.startswith("Stored: Cricket club buys the tidal mill")
    for chat in (MILLS, CRICKET):
        standin.wait_for(
            lambda c, chat=chat: c.ok and c.method == "sendMessage" and c.chat_id == chat,
            after=mark,
        )
    # so the digest was the only message of the ingest in either group
    single = "New report: Cricket club buys the tidal mill"
    assert first_lines(standin, MILLS, subscribed) == [digest.text.splitlines()[0], single]
    assert first_lines(standin, CRICKET, subscribed) == [single]
