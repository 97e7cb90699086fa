"""A real Neo4j community server on this machine, without Docker.

The server's jars come from Maven Central through `mvn` (cached in the Maven local
repository, outside the checkout); the JVM runs `CommunityEntryPoint` with a home
directory per instance holding its data, logs and pid file. Auth is always on: the
initial password is set with Neo4j's own admin tool before the first start.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from hub.errors import SetupError

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
PR_SET_PDEATHSIG = 1
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_OPENS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)
POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>hub.local</groupId><artifactId>neo4j-server</artifactId>
  <version>{version}</version><packaging>pom</packaging>
  <dependencies><dependency>
    <groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>{version}</version>
  </dependency></dependencies>
</project>
"""
MISSING_TOOL = (
    "{tool} was not found. The local Neo4j server needs Java 17 or 21 and Maven "
    "(Debian: apt-get install openjdk-17-jre-headless maven). Or point the hub at a "
    "running Neo4j 5.26 with HUB_NEO4J_URI (and HUB_NEO4J_PASSWORD)."
)


def cache_dir() -> Path:
    """Where the resolved classpath is kept between runs (never inside the checkout)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pharma-hub"


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise SetupError(MISSING_TOOL.format(tool=tool))
    return path


def _java_major(java: str) -> int:
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r'version "(\d+)', out.stderr + out.stdout)
    return int(found.group(1)) if found else 0


def find_java() -> str:
    """The `java` to run Neo4j 5.26 with: it supports Java 17 and 21 only."""
    java = _require("java")
    major = _java_major(java)
    if major not in (17, 21):
        raise SetupError(
            f"Neo4j 5.26 runs on Java 17 or 21, but `java` is version {major}. "
            "Put a Java 17 first on PATH, or set HUB_NEO4J_URI to an existing server."
        )
    return java


def classpath(version: str) -> str:
    """The server's classpath, resolving (and downloading once) its jars with Maven."""
    target = cache_dir() / f"neo4j-{version}"
    listing = target / "classpath.txt"
    if listing.exists():
        return listing.read_text().strip()
    mvn = _require("mvn")
    target.mkdir(parents=True, exist_ok=True)
    (target / "pom.xml").write_text(POM.format(version=version))
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(target / "pom.xml"),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={listing}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0 or not listing.exists():
        listing.unlink(missing_ok=True)
        raise SetupError(f"Maven could not fetch Neo4j {version}:\n{done.stdout[-2000:]}")
    return listing.read_text().strip()


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child, so it leaves no zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _parent_death_signal() -> Callable[[], None]:
    """For the child, before exec: SIGTERM it when its parent dies (Linux), so that a test
    run that crashes leaves no server behind. libc is loaded here, in the parent: the
    child between fork and exec must not start processes or import anything."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return lambda: libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _alive(pid: int) -> bool:
    _reap(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _is_neo4j(pid: int) -> bool:
    """True when pid is a live Neo4j server (a stale pid file may name another process)."""
    try:
        return _alive(pid) and ENTRY_POINT.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, PermissionError):
        return False


@dataclass(frozen=True)
class LocalServer:
    """One Neo4j instance: a home directory, a Bolt port on 127.0.0.1 and a password."""

    home: Path
    port: int
    password: str
    version: str
    heap: str = "2g"
    pagecache: str = "2g"
    tied_to_parent: bool = False  # stop when the starting process dies (throwaway servers)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "hub-neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    def pid(self) -> int | None:
        """The server's pid when it is running, else None."""
        try:
            pid = int(self.pid_file.read_text())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _is_neo4j(pid) else None

    def start(self, timeout_s: float = 180.0) -> float:
        """Start the server unless it runs; wait until Bolt answers. Returns seconds waited."""
        began = time.monotonic()
        pid = self.pid()
        if pid is None:
            java, cp = find_java(), classpath(self.version)
            self._prepare(java, cp)
            pid = self._launch(java, cp)
        self.wait_until_ready(pid, timeout_s)
        return time.monotonic() - began

    def _env(self) -> dict[str, str]:
        conf = self.home / "conf"
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)}

    def _prepare(self, java: str, cp: str) -> None:
        for sub in ("conf", "logs", "run", "data"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        if (self.home / "data" / "dbms" / "auth.ini").exists():
            return
        self._admin(java, cp, "dbms", "set-initial-password", self.password)

    def _admin(self, java: str, cp: str, *args: str) -> None:
        """Run Neo4j's admin tool (`neo4j-admin`) on this instance."""
        command = [java, "-cp", cp, ADMIN_TOOL, *args]
        done = subprocess.run(  # noqa: S603
            command, env=self._env(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            output = (done.stderr or done.stdout)[-2000:]
            raise SetupError(f"neo4j-admin {' '.join(args[:2])} failed:\n{output}")

    def backup(self, folder: Path, database: str = "neo4j") -> Path:
        """Dump the database into `folder`. Returns the dump file."""
        folder.mkdir(parents=True, exist_ok=True)
        dump = folder / f"{database}.dump"
        dump.unlink(missing_ok=True)
        self._offline("database", "dump", database, f"--to-path={folder}")
        return dump

    def restore(self, folder: Path, database: str = "neo4j") -> None:
        """Replace the database with the dump in `folder`."""
        if not (folder / f"{database}.dump").is_file():
            raise SetupError(f"no {database}.dump in {folder}")
        self._offline(
            "database", "load", database, f"--from-path={folder}", "--overwrite-destination=true"
        )

    def _offline(self, *args: str) -> None:
        """Run the admin tool with the server stopped (community edition dumps and loads
        offline only), then start it again if it was running."""
        was_running = self.stop()
        try:
            self._admin(find_java(), classpath(self.version), *args)
        finally:
            if was_running:
                self.start()

    def _settings(self) -> list[str]:
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            "server.memory.pagecache.size": self.pagecache,
            "db.tx_log.rotation.retention_policy": "2 days",
        }
        return [f"-c{key}={value}" for key, value in settings.items()]

    def _launch(self, java: str, cp: str) -> int:
        # The classpath (200+ jars) goes in an argument file, so `ps` stays readable.
        argfile = self.home / "run" / "classpath.args"
        argfile.write_text(f'-cp "{cp}"\n')
        command = [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *JVM_OPENS,
            f"@{argfile}",
            ENTRY_POINT,
            f"--home-dir={self.home}",
            *self._settings(),
        ]
        with self.console_log.open("ab") as log:
            process = subprocess.Popen(  # noqa: S603
                command,
                preexec_fn=_parent_death_signal() if self.tied_to_parent else None,
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(str(process.pid))
        return process.pid

    def wait_until_ready(self, pid: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        with GraphDatabase.driver(self.uri, auth=("neo4j", self.password)) as driver:
            while True:
                try:
                    driver.verify_connectivity()
                    return
                except AuthError as error:
                    raise SetupError(
                        f"Neo4j at {self.home} has another password than HUB_NEO4J_PASSWORD; "
                        f"delete that folder to start afresh. ({error.message})"
                    ) from error
                except (ServiceUnavailable, OSError):
                    self._check_alive_until(pid, deadline)
                    time.sleep(0.25)

    def _check_alive_until(self, pid: int, deadline: float) -> None:
        if not _alive(pid):
            raise SetupError(
                f"Neo4j stopped while starting; see {self.console_log}:\n" + self._log_tail()
            )
        if time.monotonic() > deadline:
            raise SetupError(f"Neo4j did not answer in time; see {self.console_log}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.console_log.read_text(errors="replace").splitlines()[-20:])
        except FileNotFoundError:
            return ""

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Stop cleanly (SIGTERM), forcefully after the timeout. False when it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while self.pid() is not None and time.monotonic() < deadline:
            time.sleep(0.2)
        if self.pid() is not None:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def throwaway(name: str, version: str, heap: str = "1g", pagecache: str = "512m") -> LocalServer:
    """A server in a new temporary folder, on a free port, with a random password
    (for tests and benchmarks: delete `home` after `stop()`)."""
    home = Path(tempfile.mkdtemp(prefix=f"hub-{name}-"))
    return LocalServer(
        home=home,
        port=free_port(),
        password="test-" + secrets.token_hex(8),
        version=version,
        heap=heap,
        pagecache=pagecache,
        tied_to_parent=True,
    )
