"""Debian's chromium for the browser tests: found, or installed with apt-get.

Playwright's own browser download does not work here (no internet beyond the
package registries), so the tests drive the distribution's chromium. Run as a
script (`python tests/browser_setup.py`) before the suite, or let the browser
fixture call `ensure_chromium()`; a file lock keeps parallel workers from
running apt-get at the same time.
"""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = ["chromium", "fonts-noto-cjk"]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-sync",
    "--disable-component-update",
    "--no-first-run",
]


def _fonts_installed() -> bool:
    return Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists()


def ensure_chromium() -> Path:
    """Return the chromium executable, installing Debian's packages first if needed."""
    if CHROMIUM.exists() and _fonts_installed():
        return CHROMIUM
    with open("/tmp/djk-chromium-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if CHROMIUM.exists() and _fonts_installed():
            return CHROMIUM
        prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
        if prefix and not shutil.which("sudo"):
            raise RuntimeError(
                "chromium is not installed and apt-get needs root: apt-get install " + " ".join(PACKAGES)
            )
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *PACKAGES], check=True, env=env)
    if not CHROMIUM.exists():
        raise RuntimeError(f"apt-get finished but {CHROMIUM} is missing")
    return CHROMIUM


if __name__ == "__main__":
    print(f"chromium: {ensure_chromium()}", file=sys.stderr)
