"""A crash-safe TinyDB storage: atomic replace on write, cached reads, batched commits.

TinyDB's own `JSONStorage` truncates the file and rewrites it in place, so a crash mid-write
leaves an empty or half-written store. This one writes a temporary file beside the store,
fsyncs it, `os.replace()`s it over the old file and fsyncs the folder: after a crash at any
instant the file holds either the old data or the new, whole.

Reads are served from memory and the file is parsed again only when it changed on disk
(another process committed). Writes made inside `batch()` are kept in memory and committed
once, when the outermost batch ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from store.library.interface import StoreError

Data = dict[str, dict[str, Any]]
# What identifies one version of the file: a replace gives it a new inode.
Stamp = tuple[int, int, int]


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so that a crash leaves either the old or the new file."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files a killed writer left beside `path` (only safe to delete under the lock).

    Only `path`'s own, `.<db>.<random>.tmp`: `.<db>.*.tmp` would also take the temporary file
    of a sidecar (`.<db>.updates.json.<random>.tmp`) that another thread is writing."""
    prefix = f".{path.name}."
    return sorted(
        p for p in path.parent.glob(f"{prefix}*.tmp") if "." not in p.name[len(prefix) : -4]
    )


class AtomicJSONStorage(Storage):
    """A TinyDB storage over one JSON file, written by atomic replace.

    `check_reread(data, held)` vets the data each time the file is read again (what opens the
    store vets the first read), `held` whether the file has held any since; its ValueError is
    a StoreError, as a file that is no JSON is.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        check_reread: Callable[[Data | None, bool], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self._check_reread = check_reread
        self._opened = False
        self._held = False
        self._data: Data | None = None
        self._stamp: Stamp | None = None
        self._depth = 0
        self._dirty = False
        # Bumped whenever the data in memory changes (a load or a write), so that callers can
        # tell cheaply whether anything they derived from it is stale.
        self.version = 0

    def read(self) -> Data | None:
        if self._depth == 0:
            self._load_if_changed()
        return self._data

    def write(self, data: Data) -> None:
        self._data = data
        self.version += 1
        if self._depth:
            self._dirty = True
        else:
            self._commit()

    def close(self) -> None:
        self._data = None
        self._stamp = None

    def raw_bytes(self) -> bytes | None:
        """The file as last committed, or None when there is no file yet."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Hold writes in memory and commit them once when the outermost batch ends.

        If the block raises, nothing is written and the next read goes back to the file.
        """
        if self._depth == 0:
            self._load_if_changed()
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._forget()
            raise
        self._depth -= 1
        if self._depth == 0 and self._dirty:
            self._commit()

    def _load_if_changed(self) -> None:
        """Every read of the file: one that cannot be read or parsed, or that `check_reread`
        refuses (damaged since it was opened, say), is a StoreError, and the file is left as it
        is."""
        try:
            stamp = _stamp(self.path)
            if stamp != self._stamp or (self._data is None and stamp is not None):
                data = None
                if stamp is not None:
                    raw = self.path.read_bytes()
                    data = json.loads(raw) if raw.strip() else None
                    # The stamp after the read: a replace between stat and read is seen next time.
                    stamp = _stamp(self.path)
                if self._opened and self._check_reread is not None:
                    self._check_reread(data, self._held)
                self._data, self._stamp = data, stamp
                self._held = self._held or _holds(data)
                self.version += 1
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read the store {self.path}: {exc}") from exc
        self._opened = True

    def _commit(self) -> None:
        self._dirty = False
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            write_atomically(self.path, payload)
        except BaseException:
            self._forget()
            raise
        self._stamp = _stamp(self.path)
        self._held = self._held or _holds(self._data)

    def _forget(self) -> None:
        """Drop what is in memory, so that the next read loads the file as committed."""
        self._dirty = False
        self._data = None
        self._stamp = None
        self.version += 1


def _holds(data: Data | None) -> bool:
    return data is not None and data != {}
