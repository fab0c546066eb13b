"""What a wheel installs: every package and every data file the code needs."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def folder_of(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {}).get(package)
    return ROOT / (mapped or package.replace(".", "/"))


def test_every_python_package_is_listed() -> None:
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "gsdialog").rglob("__init__.py")}
    listed = set(SETUPTOOLS["packages"])
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_every_data_file_is_matched_by_package_data() -> None:
    folders = {folder_of(package): package for package in SETUPTOOLS["packages"]}
    missing = []
    for folder, package in folders.items():
        patterns = SETUPTOOLS.get("package-data", {}).get(package, [])
        for path in folder.rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            owner = max((f for f in folders if path.is_relative_to(f)), key=lambda f: len(f.parts))
            if owner != folder:
                continue
            relative = path.relative_to(folder).as_posix()
            if not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
                missing.append(f"{package}: {relative}")
    assert missing == []


# The release itself: built as it would be published, installed from the wheel
# alone (not editable) in a fresh environment, and used from a folder outside
# the checkout. This is the proof that the wheel carries everything.

import os
import re
import select
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator

import pytest

from gsdialog import __version__

BUILTINS = sorted(path.stem for path in (ROOT / "exercises").glob("*.toml"))
SLOW = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build`: the sdist, and the wheel built from that sdist, from
    a copy of the checkout's files as a fresh clone has them (a checkout's
    gsdialog.egg-info would otherwise add files that package-data misses)."""
    clone = tmp_path_factory.mktemp("clone")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(clone)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    [found] = dist.glob("gsdialog-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh virtual environment with the wheel installed in it, and the
    environment to run it in: no trace of the checkout, its own data folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    done = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg"))
    yield bin_dir, env
    shutil.rmtree(venv, ignore_errors=True)


@SLOW
def test_the_release_builds_and_passes_twine_check(dist: Path) -> None:
    files = sorted(path.name for path in dist.iterdir())
    assert files == [f"gsdialog-{__version__}-py3-none-any.whl", f"gsdialog-{__version__}.tar.gz"]
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_version_is_written_in_one_place() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "gsdialog.__version__"}


@SLOW
def test_the_wheel_carries_every_builtin_workshop_template_static_file_and_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = [f"gsdialog/exercises/{name}.toml" for name in BUILTINS]
    for folder in ("collector/templates", "collector/static", "export/templates", "projector"):
        for path in (ROOT / "gsdialog" / folder).rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts:
                wanted.append(path.relative_to(ROOT).as_posix())
    assert len(wanted) > len(BUILTINS) + 20
    assert any(name.endswith(".tcss") for name in wanted)
    assert [name for name in wanted if name not in names] == []


def _run(installed: tuple[Path, dict[str, str]], cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    bin_dir, env = installed
    program = str(bin_dir / command[0]) if (bin_dir / command[0]).exists() else command[0]
    return subprocess.run([program, *command[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@SLOW
def test_from_the_wheel_alone_every_command_works_outside_the_checkout(
        installed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    where = _run(installed, tmp_path, "python", "-c", "import gsdialog; print(gsdialog.__file__)")
    assert where.returncode == 0 and not Path(where.stdout.strip()).is_relative_to(ROOT)
    version = _run(installed, tmp_path, "gsdialog", "--version")
    assert (version.returncode, version.stdout) == (0, f"gsdialog {__version__}\n")
    helped = _run(installed, tmp_path, "python", "-m", "gsdialog", "--help")
    assert helped.returncode == 0 and "usage: gsdialog" in helped.stdout
    checked = _run(installed, tmp_path, "gsdialog", "check", *BUILTINS)
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
    guide = _run(installed, tmp_path, "gsdialog", "guide", "--format", "md")
    assert guide.returncode == 0 and "\n# Oogstdialoog" in guide.stdout
    doctor = _run(installed, tmp_path, "gsdialog", "doctor", "--wait", "0", "--port", "0", "--data",
                  str(tmp_path / "doctor"), "--lang", "en")
    assert doctor.returncode == 1 and doctor.stderr == ""  # no phone test: never 0
    assert "✓ gsdialog can write in that folder." not in doctor.stdout  # it does not exist yet
    assert "The phone test was skipped." in doctor.stdout

    data = tmp_path / "data"
    join = _join_address_of_a_short_run(installed, tmp_path, data)
    assert re.fullmatch(r"http://[0-9.]+:\d+/[A-Z0-9]+", join), join
    exported = _run(installed, tmp_path, "gsdialog", "export", "--data", str(data), "--format", "md")
    assert exported.returncode == 0, exported.stderr
    assert "\n# Oogstdialoog" in exported.stdout
    assert join.rsplit("/", 1)[1] in exported.stdout  # the code of the session that run made


def _join_address_of_a_short_run(installed: tuple[Path, dict[str, str]], cwd: Path, data: Path) -> str:
    """`gsdialog run` in a terminal of 100 x 30 until its first screen shows
    the join address; then it is stopped."""
    import fcntl
    import pty
    import termios

    bin_dir, env = installed
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen([str(bin_dir / "gsdialog"), "run", "--port", "0", "--data", str(data)],
                               stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                               env=dict(env, TERM="xterm-256color"), start_new_session=True)
    os.close(slave)
    seen = b""
    found = None
    deadline = time.monotonic() + 60
    try:
        while found is None and time.monotonic() < deadline and process.poll() is None:
            if select.select([master], [], [], 0.5)[0]:
                try:
                    seen += os.read(master, 65536)
                except OSError:
                    break
            plain = re.sub(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>])", b"", seen)
            match = re.search(rb"http://[0-9.]+:\d+/[A-Z0-9]+", plain)
            found = match.group(0).decode() if match else None
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(master)
    assert found is not None, seen[-2000:].decode(errors="replace")
    return found
