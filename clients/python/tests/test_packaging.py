"""The wheel pyproject.toml builds holds the package, its generated layer and py.typed."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path

from .support import have

PROJECT = Path(__file__).resolve().parents[1]


@unittest.skipUnless(have("pip") and have("setuptools") and have("wheel"), "pip, setuptools or wheel is missing")
class Packaging(unittest.TestCase):
    def test_the_wheel_installs_and_imports(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "dist"
            build = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out), str(PROJECT)],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=tmp,
            )
            self.assertEqual(build.returncode, 0, build.stderr)
            [wheel] = list(out.glob("smc_trading_sdk-*-py3-none-any.whl"))
            names = set(zipfile.ZipFile(wheel).namelist())
            for name in ["smc_trading/__init__.py", "smc_trading/py.typed", "smc_trading/_generated/operations.py", "smc_trading/_generated/types.py", "smc_trading/stream.py"]:
                self.assertIn(name, names)
            meta = next(n for n in names if n.endswith("METADATA"))
            text = zipfile.ZipFile(wheel).read(meta).decode()
            self.assertIn("Name: smc-trading-sdk", text)
            self.assertIn("Requires-Python: >=3.10", text)
            self.assertIn("Provides-Extra: stream", text)
            target = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)], check=True, timeout=120, capture_output=True)
            probe = subprocess.run(
                [sys.executable, "-c", "import smc_trading, sys; print(smc_trading.__file__); print(smc_trading.SMCClient(api_token='t').get_positions.__name__)"],
                capture_output=True,
                text=True,
                timeout=30,
                env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                cwd=tmp,
            )
            self.assertEqual(probe.returncode, 0, probe.stderr)
            self.assertIn(str(target), probe.stdout)
            self.assertIn("get_positions", probe.stdout)
        # pip leaves a build/ and an egg-info next to the sources: not ours to keep.
        for junk in [PROJECT / "build", *PROJECT.glob("src/*.egg-info")]:
            subprocess.run(["rm", "-rf", str(junk)], check=False)


if __name__ == "__main__":
    unittest.main()
