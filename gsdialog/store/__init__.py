"""The durable store: no acknowledged answer is ever lost.

Each session has a folder in the data folder::

    DATA/sessions/20261123-143000-KX4MP/
        snapshot.json            TinyDB: meta, steps, phones, answers, hidden
        journal-000001.jsonl     events since the snapshot, one JSON line each
        meta.json                id, workshop, closed: for listing and resuming

- `files`: writing files atomically, the snapshot, meta.json;
- `journal`: `SessionFolder`, one session's folder: the core's `Journal`
  port on disk (group commit, snapshots, closing);
- `data`: `Store`, the data folder and its sessions' folders.

The store keeps no session and builds none: `gsdialog.sessions` creates,
opens and lists sessions on it.
"""

from gsdialog.store.data import SessionInfo, Store
from gsdialog.store.files import StoreError
from gsdialog.store.journal import SessionFolder, Stored

__all__ = ["SessionFolder", "SessionInfo", "Store", "StoreError", "Stored"]
