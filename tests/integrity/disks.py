"""Upload folders whose disk can be filled and freed again (the `full_disk` fixture picks one)."""
import errno
import shutil
from pathlib import Path
from types import SimpleNamespace

from trainer import storage


class TinyDisk:
    """A 1 MB tmpfs; fill() takes every free byte with one file, free() gives them back."""

    kind = "1 MB tmpfs"

    def __init__(self, mount: Path):
        self.mount, self.folder = mount, mount / "uploads"

    def fill(self) -> None:
        with open(self.mount / "filler", "wb", buffering=0) as handle:
            try:
                while handle.write(b"\0" * 4096):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC

    def free(self) -> None:
        (self.mount / "filler").unlink()

    def files(self) -> list[Path]:
        """Every file in the upload folder."""
        return sorted(p for p in self.folder.rglob("*") if p.is_file()) if self.folder.exists() else []


class RefusingDisk(TinyDisk):
    """Where mounting is not allowed: while full, a stored file gets its first bytes, then ENOSPC."""

    kind = "simulated ENOSPC"

    def __init__(self, mount: Path, monkeypatch):
        super().__init__(mount)
        self.monkeypatch = monkeypatch

    def fill(self) -> None:
        def copy_until_full(source, target, length=0):
            target.write(source.read(16))
            raise OSError(errno.ENOSPC, "No space left on device")
        self.monkeypatch.setattr(storage, "shutil", SimpleNamespace(copyfileobj=copy_until_full))

    def free(self) -> None:
        self.monkeypatch.setattr(storage, "shutil", shutil)
