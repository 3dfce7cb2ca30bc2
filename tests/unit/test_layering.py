"""`briefings/` never imports `telegram`: the domain stays usable without the Telegram layer."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import briefings


def test_layering_briefings_never_imports_telegram() -> None:
    modules = [m.name for m in pkgutil.walk_packages(briefings.__path__, "briefings.")
               if not m.name.startswith("briefings.migrations")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    if name != 'briefings.__main__':\n"
        "        importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'telegram' or m.startswith('telegram.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"telegram modules loaded by briefings: {result.stdout}"
