"""The real service on its own PostgreSQL cluster, under a load of writes, while the cluster
is stopped and started again, then frozen and thawed.

Writes during an outage answer 503 with Retry-After (never 500), within the bounds the
timeouts set; the service recovers by itself once the database is back; every failed write,
retried with its Idempotency-Key, is created once; and the students, their audit events and
the change feed agree with the creates the clients saw succeed.
"""

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from service.auth.credentials import create_access_token
from service.enums import UserRole
from service.kit import migrations
from service.kit.config import PROJECT_ROOT, get_settings
from service.kit.db import RESPONSE_GRACE_SECONDS, create_engine_for
from service.models.auth import User
from tests.factories import student_body

PG_BIN = Path("/usr/lib/postgresql/15/bin")
CONNECT_TIMEOUT = 2
STATEMENT_TIMEOUT_MS = 1000
POOL_TIMEOUT = 1.0
# The longest a write may take while the database is away: a wait for a pooled connection,
# a statement on a connection that stopped answering, then a new connection that times out.
ANSWER_BOUND = POOL_TIMEOUT + STATEMENT_TIMEOUT_MS / 1000 + RESPONSE_GRACE_SECONDS + CONNECT_TIMEOUT
RECOVERY_BOUND = 5.0
WRITERS = 6

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL", "").strip(),
    reason="needs PostgreSQL (set TEST_DATABASE_URL): the faults are a PostgreSQL server's",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def as_postgres(*command: str) -> subprocess.CompletedProcess[str]:
    # initdb refuses to run as root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *command], check=True, capture_output=True, text=True, timeout=60
    )


@dataclass
class Cluster:
    """A PostgreSQL cluster of the test's own, in a temporary directory."""

    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def init(self) -> None:
        as_postgres(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=60"
        )
        as_postgres(
            str(PG_BIN / "pg_ctl"), "start", "-w", "-t", "30", "-D", str(self.data),
            "-l", str(self.root / "server.log"), "-o", options,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "stop", "-w", "-m", mode, "-D", str(self.data))

    def processes(self) -> list[int]:
        """The postmaster and its children."""
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return []
        postmaster = int(pidfile.read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def signal_all(self, signum: signal.Signals) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 server binaries are needed in {PG_BIN}")
    # Not under pytest's tmp_path: the postgres user must reach the directory.
    root = Path(tempfile.mkdtemp(prefix="serpin-faults-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(root, free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.signal_all(signal.SIGCONT)
        if cluster.processes():
            with contextlib.suppress(subprocess.SubprocessError):
                cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def serving(cluster: Cluster, tmp_path: Path, timeouts: dict[str, str]) -> Iterator[Server]:
    """The service on the cluster, with ``timeouts`` (none: the defaults)."""
    migrations.upgrade(cluster.url)
    port = free_port()
    settings = get_settings()
    env = os.environ | {
        "SERVICE_ENVIRONMENT": "testing",
        "SERVICE_DATABASE_URL": cluster.url,
        "SERVICE_DATABASE_POOL_SIZE": "5",
        "SERVICE_SECRET_KEY": settings.secret_key,
        "SERVICE_JWT_ALGORITHM": settings.jwt_algorithm,
        **timeouts,
    }
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "uvicorn"), "service.main:app",
             "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", log, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{server.url}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the service did not become ready"
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def server(cluster: Cluster, tmp_path: Path) -> Iterator[Server]:
    timeouts = {
        "SERVICE_DATABASE_CONNECT_TIMEOUT_SECONDS": str(CONNECT_TIMEOUT),
        "SERVICE_DATABASE_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS),
        "SERVICE_DATABASE_POOL_TIMEOUT_SECONDS": str(POOL_TIMEOUT),
    }
    with serving(cluster, tmp_path, timeouts) as running:
        yield running


async def admin_token(database_url: str) -> str:
    engine = create_engine_for(database_url, pool_size=1)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            admin = User(username="admin", full_name="Admin", role=UserRole.admin)
            session.add(admin)
            await session.commit()
            assert admin.id is not None
    finally:
        await engine.dispose()
    token, _ = create_access_token(admin.id, UserRole.admin)
    return token


@dataclass
class Attempt:
    key: str
    body: dict[str, Any]
    started: float
    seconds: float
    status: int | None
    """None: the client gave up (the service hung) or could not connect."""
    student_id: int | None = None
    retry_after: str | None = None
    problem: bool = False
    replayed: bool = False


@dataclass
class Load:
    client: httpx.AsyncClient
    attempts: list[Attempt] = field(default_factory=list)
    running: bool = True

    async def write(self, key: str, body: dict[str, Any]) -> Attempt:
        started = time.monotonic()
        try:
            response = await self.client.post(
                "/api/v1/students", json=body, headers={"Idempotency-Key": key}
            )
        except httpx.TransportError:
            return Attempt(key, body, started, time.monotonic() - started, None)
        attempt = Attempt(key, body, started, time.monotonic() - started, response.status_code)
        if response.status_code == 201:
            attempt.student_id = int(response.json()["id"])
        attempt.retry_after = response.headers.get("retry-after")
        attempt.problem = response.headers.get("content-type") == "application/problem+json"
        attempt.replayed = response.headers.get("idempotent-replayed") == "true"
        return attempt

    async def writer(self) -> None:
        while self.running:
            attempt = await self.write(str(uuid.uuid4()), student_body())
            self.attempts.append(attempt)
            if attempt.status != 201:
                await asyncio.sleep(0.1)  # as a client honouring a short back-off

    def within(self, start: float, end: float) -> list[Attempt]:
        """The attempts sent and answered between ``start`` and ``end``."""
        return [a for a in self.attempts if a.started >= start and a.started + a.seconds <= end]


@pytest.fixture
async def load(server: Server, cluster: Cluster) -> AsyncIterator[Load]:
    token = await admin_token(cluster.url)
    headers = {"Authorization": f"Bearer {token}"}
    # The client waits well past the bound: a hung request shows as a long answer.
    timeout = httpx.Timeout(ANSWER_BOUND * 3)
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=timeout) as c:
        yield Load(c)


async def recovered(load: Load, back: float) -> float:
    """Seconds from the database's return to the end of the first write that succeeded."""
    while time.monotonic() - back < RECOVERY_BOUND + ANSWER_BOUND:
        done = [a.started + a.seconds for a in load.attempts if a.status == 201]
        after = [t for t in done if t >= back]
        if after:
            return min(after) - back
        await asyncio.sleep(0.05)
    return float("inf")


async def test_writes_survive_a_stopped_and_a_frozen_database(
    cluster: Cluster, server: Server, load: Load
) -> None:
    writers = [asyncio.create_task(load.writer()) for _ in range(WRITERS)]
    try:
        await asyncio.sleep(1.5)
        # (a) A clean stop: the server refuses connections, then comes back.
        stopping = time.monotonic()
        await asyncio.to_thread(cluster.stop, "fast")
        stopped = time.monotonic()
        await asyncio.sleep(3)
        starting = time.monotonic()
        await asyncio.to_thread(cluster.start)
        started = time.monotonic()
        after_restart = await recovered(load, started)
        await asyncio.sleep(1)
        # (b) A freeze: the server keeps its connections open and never answers.
        frozen = time.monotonic()
        cluster.signal_all(signal.SIGSTOP)
        await asyncio.sleep(6)
        thawed = time.monotonic()
        cluster.signal_all(signal.SIGCONT)
        after_thaw = await recovered(load, thawed)
        await asyncio.sleep(1)
    finally:
        load.running = False
        await asyncio.gather(*writers)
    attempts = list(load.attempts)
    statuses = sorted({a.status or 0 for a in attempts})
    during_stop = load.within(stopped, starting)
    # A backend may finish the statement it had begun as the signals reach each process.
    during_freeze = load.within(frozen + 0.5, thawed)
    failed = [a for a in attempts if a.status != 201]

    def unavailable(start: float, end: float) -> int:
        return sum(a.status == 503 and start <= a.started + a.seconds <= end for a in attempts)

    print(
        f"\n{len(attempts)} writes from {WRITERS} clients: "
        f"{sum(a.status == 201 for a in attempts)} created, {len(failed)} answered 503 "
        f"({unavailable(stopping, starting + 1)} around the stop, "
        f"{unavailable(frozen, thawed + 1)} around the freeze); statuses {statuses}; "
        f"slowest answer {max(a.seconds for a in attempts):.2f} s (bound {ANSWER_BOUND:g} s); "
        f"first write created {after_restart:.2f} s after the restart, "
        f"{after_thaw:.2f} s after the thaw"
    )

    # Never a 500, never a hang: a failed write is a 503 problem with Retry-After, in time.
    assert set(statuses) <= {201, 503}, statuses
    assert all(a.seconds < ANSWER_BOUND + 1.5 for a in attempts), max(a.seconds for a in attempts)
    for attempt in failed:
        assert attempt.problem
        assert attempt.retry_after is not None
        assert int(attempt.retry_after) >= 1
    assert during_stop
    assert all(a.status == 503 for a in during_stop)
    assert during_freeze
    assert all(a.status == 503 for a in during_freeze)
    # Back by itself, without a restart of the service.
    assert after_restart < RECOVERY_BOUND
    assert after_thaw < RECOVERY_BOUND
    assert server.process.poll() is None

    # Each failed write again with its key: created once (or replayed, if it had committed).
    retried = [await load.write(a.key, a.body) for a in failed]
    assert all(r.status == 201 for r in retried), sorted({r.status or 0 for r in retried})
    print(
        f"{len(retried)} failed writes retried: {sum(r.replayed for r in retried)} had "
        "committed before their 503 and were replayed"
    )
    created: dict[str, int] = {}
    for attempt in [*attempts, *retried]:
        if attempt.student_id is not None:
            assert created.setdefault(attempt.key, attempt.student_id) == attempt.student_id
    assert set(created) == {a.key for a in attempts}
    ids = set(created.values())
    assert len(ids) == len(created)

    await assert_stored(cluster, load, ids)
    log = server.log.read_text()
    assert "Traceback" not in log, log[-3000:]
    # One JSON line per failure, the service's own log format.
    messages = [json.loads(line)["message"] for line in log.splitlines() if line.startswith("{")]
    fault_lines = [m for m in messages if "database unavailable:" in m]
    assert len(fault_lines) == len(failed)
    assert all(m.startswith("database unavailable: POST /api/v1/students ") for m in fault_lines)


async def assert_stored(cluster: Cluster, load: Load, ids: set[int]) -> None:
    """The database, its audit trail and the change feed hold exactly the created students."""
    plain = cluster.url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(plain) as connection:
        students = {row[0] for row in connection.execute("SELECT id FROM student")}
        inserts = connection.execute(
            "SELECT entity_id, count(*) FROM audit_event "
            "WHERE entity = 'student' AND action = 'create' GROUP BY entity_id"
        ).fetchall()
        audited = {
            row[0]
            for row in connection.execute(
                "SELECT entity_id FROM audit_event WHERE entity = 'student'"
            )
        }
    assert students == ids
    assert {int(entity_id) for entity_id, _ in inserts} == ids
    assert all(count == 1 for _, count in inserts)
    assert {int(entity_id) for entity_id in audited} == ids

    fed: list[int] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 5000} | ({"after": after} if after else {})
        response = await load.client.get("/api/v1/monitoring/changes", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        fed += [
            int(item["entity_id"])
            for item in page["items"]
            if item["entity"] == "student" and item["action"] == "create"
        ]
        after = page["next_cursor"]
        if not page["has_more"]:
            break
    assert sorted(fed) == sorted(ids)


async def test_a_frozen_database_is_a_503_within_5_seconds_with_the_default_timeouts(
    cluster: Cluster, tmp_path: Path
) -> None:
    """With the settings a deployment starts with: while the server is frozen every write
    and every readiness check answers within 5 s (a 503), and a statement that is only slow
    (pg_sleep, 6 s, the server answering) is not cut short."""
    with serving(cluster, tmp_path, {}) as server:
        token = await admin_token(cluster.url)
        headers = {"Authorization": f"Bearer {token}"}
        timeout = httpx.Timeout(30)
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=timeout) as c:
            load = Load(c)
            readiness: list[tuple[float, float, int]] = []

            async def probe_readiness() -> None:
                while load.running:
                    started = time.monotonic()
                    response = await c.get("/health/ready")
                    readiness.append((started, time.monotonic() - started, response.status_code))
                    await asyncio.sleep(0.2)

            slow = await asyncio.to_thread(slow_statement_survives, cluster.url, 6)
            assert slow, "a 6 s statement on a server that answers is not cut short"
            tasks = [asyncio.create_task(load.writer()) for _ in range(WRITERS)]
            tasks.append(asyncio.create_task(probe_readiness()))
            try:
                await asyncio.sleep(1.5)
                frozen = time.monotonic()
                cluster.signal_all(signal.SIGSTOP)
                await asyncio.sleep(10)
                cluster.signal_all(signal.SIGCONT)
                thawed = time.monotonic()
                await asyncio.sleep(3)
            finally:
                load.running = False
                await asyncio.gather(*tasks)
    during = [a for a in load.attempts if a.started >= frozen + 0.5 and a.started <= thawed]
    ready_during = [r for r in readiness if frozen <= r[0] <= thawed - 5]
    print(
        f"\nfrozen 10 s: {len(during)} writes, slowest {max(a.seconds for a in during):.2f} s, "
        f"statuses {sorted({a.status or 0 for a in during})}; {len(ready_during)} readiness "
        f"checks, slowest {max(r[1] for r in ready_during):.2f} s: "
        f"{[(round(r[0] - frozen, 1), round(r[1], 2), r[2]) for r in readiness if r[0] >= frozen]}"
    )
    assert during
    assert all(a.seconds < 5.0 for a in during), sorted(a.seconds for a in during)[-5:]
    assert {a.status for a in during if a.started >= frozen + 5} == {503}
    assert ready_during
    assert all(seconds < 5.0 for _, seconds, _ in ready_during), ready_during
    assert {status for started, _, status in ready_during if started >= frozen + 0.5} == {503}


def slow_statement_survives(url: str, seconds: int) -> bool:
    """Runs ``pg_sleep`` through an engine of the service's own: True when it completes."""

    async def run() -> bool:
        engine = create_engine_for(url, pool_size=1)
        try:
            async with engine.connect() as connection:
                await connection.exec_driver_sql(f"SELECT pg_sleep({seconds})")
            return True
        finally:
            await engine.dispose()

    return asyncio.run(run())
