"""A throwaway CUPS scheduler whose printer is a file, for the tests that print.

A `cupsd` runs in a temporary directory on its own Unix socket (no port, no system queues
touched); each queue hands every job unchanged to a file, so the file is what the printer
would have received. Only the printer itself is stood in for: `lp`, the scheduler and the
spooling are the real ones. Needs Debian's `cups-daemon` and `cups-client` (`scripts/test`
installs them when missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

QUEUE = "counter-test"

CUPSD_CONF = """\
Listen {root}/cups.sock
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
"""
CUPS_FILES_CONF = """\
FileDevice Yes
ServerRoot {root}
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
AccessLog {root}/log/access_log
ErrorLog {root}/log/error_log
PageLog {root}/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
"""
# A queue without a filter prints nothing; this one passes the document through as-is.
PASS_THROUGH_FILTER = '#!/bin/sh\nexec cat "${6:--}"\n'
PASS_THROUGH_PPD = """\
*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "PASSTHRU.PPD"
*Manufacturer: "Test"
*Product: "(Passthrough)"
*ModelName: "Passthrough"
*ShortNickName: "Passthrough"
*NickName: "Passthrough"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter2: "application/pdf application/vnd.cups-raw 0 {filter}"
*OpenUI *PageSize: PickOne
*DefaultPageSize: A4
*PageSize A4/A4: "<</PageSize[595 842]>>setpagedevice"
*CloseUI: *PageSize
*DefaultImageableArea: A4
*ImageableArea A4/A4: "0 0 595 842"
*DefaultPaperDimension: A4
*PaperDimension A4/A4: "595 842"
"""


def _sbin(name: str) -> str | None:
    """Find an administration program even when /usr/sbin is not on PATH."""
    found = shutil.which(name) or f"/usr/sbin/{name}"
    return found if os.access(found, os.X_OK) else None


class ThrowawayCups:
    def __init__(self) -> None:
        cupsd, self.lpadmin = (_sbin(name) for name in ("cupsd", "lpadmin"))
        if cupsd is None or self.lpadmin is None:
            pytest.fail(
                "cupsd か lpadmin がありません。"
                "`apt-get install cups-daemon cups-client` で入れてください"
            )
        # Filters run as the `lp` user: the directory must be readable by it.
        self.root = Path(tempfile.mkdtemp(prefix="counter-cups-"))
        self.root.chmod(0o755)
        for name in ("spool", "cache", "state", "log", "tmp", "printed"):
            (self.root / name).mkdir()
        (self.root / "tmp").chmod(0o1777)
        (self.root / "cupsd.conf").write_text(CUPSD_CONF.format(root=self.root))
        (self.root / "cups-files.conf").write_text(CUPS_FILES_CONF.format(root=self.root))
        filter_path = self.root / "pass-through"
        filter_path.write_text(PASS_THROUGH_FILTER)
        filter_path.chmod(0o755)
        self.ppd = self.root / "pass-through.ppd"
        self.ppd.write_text(PASS_THROUGH_PPD.format(filter=filter_path))
        self.socket = self.root / "cups.sock"
        self.process = subprocess.Popen(
            [
                cupsd,
                "-f",
                "-c",
                str(self.root / "cupsd.conf"),
                "-s",
                str(self.root / "cups-files.conf"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"cupsd が起動しませんでした（{self.root}/log/error_log）")
            time.sleep(0.05)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket)}

    def add_queue(self, name: str) -> Path:
        """A queue printing to a file; cupsd only writes to a file that already exists."""
        out = self.root / "printed" / f"{name}.pdf"
        out.write_bytes(b"")
        subprocess.run(
            [self.lpadmin, "-p", name, "-E", "-v", f"file:{out}", "-P", str(self.ppd)],
            env=self.env,
            check=True,
            capture_output=True,
        )
        return out

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for_bytes(path: Path, size: int, seconds: float = 15) -> bytes:
    """The printed file once it holds ``size`` bytes (cupsd writes it after lp returns)."""
    deadline = time.monotonic() + seconds
    while path.stat().st_size < size and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_bytes()


def wait_for_content(path: Path, expected: bytes, seconds: float = 15) -> bytes:
    """The printed file once it equals ``expected`` (each job replaces the file's content)."""
    deadline = time.monotonic() + seconds
    while path.read_bytes() != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_bytes()
