"""A writer for the crash test: answers as fast as it can, logging each acknowledgement.

    python crash_writer.py DATA ACKS_FILE

Resumes the unfinished session in DATA (or starts one), joins phones and lets
each answer all twelve questions once. After each acknowledged answer it
appends `token item value` lines to ACKS_FILE. It runs until it is killed.
"""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

from gsdialog import sessions
from gsdialog.store import Store
from gsdialog.store import journal as store_journal
from gsdialog.core.loader import builtin_path, load_workshop

# Fold the journal into a snapshot often, so kills also land mid-snapshot.
store_journal.SNAPSHOT_EVERY = 40


async def phone(session, acks) -> None:  # type: ignore[no-untyped-def]
    token = await session.join(random.choice(["professional", "parent", "client"]))
    await session.admit_late()  # joined while the question is open: let in, as with the key l
    values = {item.id: random.randint(1, 5) for item in session.step.items}
    await session.answer(token, "twaalf-vragen", values)
    acks.write("".join(f"{token} {item} {value}\n" for item, value in values.items()))
    acks.flush()


async def main(data: Path, acks_path: Path) -> None:
    path = builtin_path("twaalf-vragen")
    workshop = load_workshop(path)
    store = Store(data)
    found = sessions.unfinished(store, workshop.id)
    if found is None:
        session, folder = sessions.create(store, workshop, path.read_text(encoding="utf-8"))
        await session.go_to(1)
    else:
        session, folder = sessions.open(found)
    with acks_path.open("a", encoding="utf-8") as acks:
        while True:
            await asyncio.gather(*(phone(session, acks) for _ in range(random.randint(1, 20))))
            # Keep the store small enough to check after every kill.
            await asyncio.sleep(0.01)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2])))
