"""Creating, opening and listing sessions in the store.

The store keeps folders and bytes; the core keeps sessions. This module puts
them together: it builds a `Session` on a `SessionFolder` (the session
attaches itself to the folder as its journal), and rebuilds a stored session
from what the folder holds: the stored workshop's text, the snapshot, then
the events after it, replayed through `Session.apply`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from gsdialog.core.loader import WorkshopError, parse_workshop
from gsdialog.core.session import Session, create_event, new_code
from gsdialog.core.workshop import Workshop
from gsdialog.store.data import SessionInfo, Store
from gsdialog.store.files import StoreError, reason
from gsdialog.store.journal import SessionFolder


def create(store: Store, workshop: Workshop, source: str, *, now: datetime | None = None,
           threshold: int | None = None) -> tuple[Session, SessionFolder]:
    """A new session, on disk before this returns, at its first step."""
    now = now or datetime.now().astimezone()
    code = new_code(store.codes())
    session_id = f"{now:%Y%m%d-%H%M%S}-{code}"
    folder = store.new_folder(session_id)
    session = Session(workshop, folder)
    try:
        folder.write_now(create_event(workshop, session_id=session_id, code=code,
                                      created=now.isoformat(timespec="seconds"), source=source,
                                      threshold=threshold))
        folder.write_now({"type": "step", "index": 0, "at": session.clock()})
        folder.write_meta()
    except OSError as error:
        raise StoreError(f"cannot write in {folder.path}: {reason(error)}") from None
    return session, folder


def open(path: Path) -> tuple[Session, SessionFolder]:
    """The session stored in `path`, ready to go on; StoreError when it cannot be read."""
    session, folder = _load(path)
    if session.closed and folder.segments():
        folder.finish_close()  # a crash came between closing and forgetting the tokens
    return session, folder


def listing(store: Store) -> list[SessionInfo]:
    """Every session, oldest first; one that cannot be read says why.

    Closed sessions do not change: their meta.json is enough.
    """
    found = []
    for path in store.folders():
        info = store.info(path)
        if info is not None and info.closed:
            found.append(info)
            continue
        try:
            session, _ = _load(path)
        except StoreError as error:
            found.append(SessionInfo(path, id=path.name, problem=str(error)))
            continue
        found.append(SessionInfo(path, session.id, session.workshop.id, session.code, session.created,
                                 session.closed, session.participant_counts()))
    return found


def unfinished(store: Store, workshop_id: str) -> Path | None:
    """The newest session of this workshop that was not closed.

    StoreError when its files cannot be read: that session is never
    silently replaced by a new one.
    """
    for path in reversed(store.folders()):
        info = store.info(path)
        if info is not None and (info.workshop != workshop_id or info.closed):
            continue  # known not to be it, without loading it (or failing on it)
        session, _ = _load(path)
        if session.workshop.id == workshop_id and not session.closed:
            return path
    return None


def _load(path: Path) -> tuple[Session, SessionFolder]:
    """The session as stored: its workshop, the snapshot, then the events after it."""
    folder = SessionFolder(path)
    stored = folder.read()
    try:
        workshop = parse_workshop(stored.source, f"{path.name} (stored copy)")
    except WorkshopError as error:
        raise StoreError(f"the workshop stored in {path} cannot be read: {error}") from None
    session = Session(workshop, folder)
    if stored.tables is not None:
        session.restore_state(stored.tables)
    for event in stored.events:
        session.apply(event)
    return session, folder
