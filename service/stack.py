"""A real multi-replica stack on one machine: nginx in front of N replicas of the service that
share one PostgreSQL audit store, one model registry and one keys file. ``triage stack up``,
``down`` and ``status`` (``service.stack_commands``); the tests drive the same code.

Everything the stack runs is recorded in ``<state>/stack.json`` (process ids, ports, paths),
and its logs are in ``<state>/``: one per replica, nginx's error and access logs, PostgreSQL's.
``down`` stops only the processes recorded there, each checked to be the one started (its
command line), never by name.

PostgreSQL: with ``--db-url`` the stack uses that server; without, it runs its own (Debian's
``initdb``/``pg_ctl``, loopback only, ``fsync=on``), keeping the data across ``down``/``up``
until ``down --purge``. As root, PostgreSQL runs as the ``postgres`` account with its data in
``/tmp/triage-stack-pg-*`` (a state folder under root's home is not reachable by that account);
the data folder is recorded in ``<state>/pg-data``.

nginx: ``deploy/stack/nginx.conf.template`` with the replicas filled in, the production settings
(passive health checks, keepalive to the replicas, timeouts, retries on the next replica; see the
template's comments), run as its own master with every file in the state folder.
"""

from __future__ import annotations

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from service.store_db import make_engine, migrate
from triage.files import atomic_write

#: The checkout this module runs from (the nginx template lives in its deploy/ folder).
REPO_ROOT = Path(__file__).resolve().parents[1]
NGINX_TEMPLATE = REPO_ROOT / "deploy" / "stack" / "nginx.conf.template"
STATE_FILE = "stack.json"
PG_DATA_POINTER = "pg-data"
#: Database and role of a stack-run PostgreSQL.
PG_USER = "triage"
PG_DATABASE = "triage"


class StackError(Exception):
    """The stack cannot be brought up, or down; the message says what and where to look."""


@dataclass
class Replica:
    name: str
    port: int
    pid: int
    log: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class StackState:
    """What ``up`` started (``<state>/stack.json``)."""

    state_dir: str
    url: str
    db_url: str
    models_dir: str
    keys_file: str
    replicas: list[Replica] = field(default_factory=list)
    nginx_conf: str = ""
    nginx_pid: int | None = None
    pg_data: str | None = None  # set when the stack runs its own PostgreSQL
    pg_port: int | None = None

    def save(self) -> None:
        path = Path(self.state_dir) / STATE_FILE
        atomic_write(path, json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, state_dir: Path) -> StackState | None:
        path = Path(state_dir) / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StackError(f"{path}: unreadable ({exc}); remove it after checking that "
                             "nothing it names still runs") from None
        data["replicas"] = [Replica(**r) for r in data.get("replicas", [])]
        return cls(**data)


@dataclass(frozen=True)
class StackConfig:
    state_dir: Path
    models_dir: Path
    keys_file: Path
    replicas: int = 2
    host: str = "127.0.0.1"
    port: int = 8080
    db_url: str | None = None
    startup_seconds: float = 120.0
    nginx_workers: int = 1
    #: Extra TRIAGE_* settings for every replica (e.g. TRIAGE_RATE_LIMIT).
    replica_env: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _is_root() -> bool:
    return os.geteuid() == 0


def nginx_binary() -> str:
    """Debian's nginx (in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if found is None:
        raise StackError("nginx is not installed: 'apt-get install nginx' (scripts/"
                         "system-deps.sh installs it)")
    return found


def pg_bindir() -> Path:
    """The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if not found:
        raise StackError("PostgreSQL is not installed: 'apt-get install postgresql', or give "
                         "--db-url postgresql://... of a server")
    return found[-1].parent


def _pg_run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program, as the postgres account when we are root (it refuses root)."""
    cmd = (["runuser", "-u", "postgres", "--", *args] if _is_root() else args)
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def _pg_data_dir(state_dir: Path) -> Path:
    pointer = state_dir / PG_DATA_POINTER
    if pointer.exists():
        return Path(pointer.read_text(encoding="utf-8").strip())
    if _is_root():
        data = Path(tempfile.mkdtemp(prefix="triage-stack-pg-"))
        shutil.chown(data, "postgres", "postgres")
    else:
        data = state_dir / "pg"
        data.mkdir(mode=0o700, exist_ok=True)
    pointer.write_text(str(data) + "\n", encoding="utf-8")
    return data


def start_postgres(state_dir: Path) -> tuple[str, Path, int]:
    """Start (initialising on first use) the stack's own PostgreSQL on a free loopback port;
    return its URL, data folder and port."""
    bindir = pg_bindir()
    data = _pg_data_dir(state_dir)
    db = data / "db"
    if not (db / "PG_VERSION").exists():
        done = _pg_run([str(bindir / "initdb"), "-D", str(db), "-U", PG_USER, "--auth=trust",
                        "-E", "UTF8"])
        if done.returncode != 0:
            raise StackError(f"initdb failed: {done.stderr.strip()[-2000:]}")
    port = free_port()
    done = _pg_run([str(bindir / "pg_ctl"), "-D", str(db), "-l", str(data / "postgres.log"), "-w",
                    "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=on",
                    "start"])
    if done.returncode != 0:
        raise StackError(f"PostgreSQL did not start: {done.stderr.strip()[-2000:]} "
                         f"(log: {data / 'postgres.log'})")
    created = _pg_run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                       PG_USER, PG_DATABASE])
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise StackError(f"createdb failed: {created.stderr.strip()[-2000:]}")
    return f"postgresql://{PG_USER}@127.0.0.1:{port}/{PG_DATABASE}", data, port


def stop_postgres(data: Path) -> None:
    _pg_run([str(pg_bindir() / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "-w", "stop"])


def replica_env(config: StackConfig, name: str, port: int, db_url: str) -> dict[str, str]:
    """The launcher's environment (every other TRIAGE_* setting applies to each replica, e.g.
    TRIAGE_RATE_LIMIT), with what the stack decides set over it."""
    env = dict(os.environ)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(
        TRIAGE_MODELS_DIR=str(config.models_dir.resolve()),
        TRIAGE_KEYS_FILE=str(config.keys_file.resolve()),
        TRIAGE_DB_URL=db_url,
        TRIAGE_REPLICA_NAME=name,
        TRIAGE_HOST="127.0.0.1",
        TRIAGE_PORT=str(port),
        TRIAGE_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(config.replica_env)
    return env


def start_replica(config: StackConfig, index: int, db_url: str) -> Replica:
    """``triage serve`` for one replica, in its own session (so the launcher can exit)."""
    name = f"replica-{index + 1}"
    port = free_port()
    log = config.state_dir / f"{name}.log"
    with log.open("ab") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "triage_cli.main", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "1"],
            cwd=REPO_ROOT, env=replica_env(config, name, port, db_url), stdout=fh,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    return Replica(name=name, port=port, pid=proc.pid, log=str(log))


def render_nginx(config: StackConfig, replicas: list[Replica], template: Path) -> str:
    """The nginx configuration for ``replicas`` (the template's @@NAME@@ filled in)."""
    try:
        text = template.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StackError(f"{template}: the nginx template is missing (run from a checkout of "
                         "the project)") from None
    servers = "\n".join(
        f"        server 127.0.0.1:{r.port} max_fails=1 fail_timeout=10s;  # {r.name}"
        for r in replicas
    )
    values = {
        "USER": "user nobody nogroup;" if _is_root() else "",
        "WORKERS": str(config.nginx_workers),
        "STATE": str(config.state_dir.resolve()),
        "SERVERS": servers,
        "LISTEN": f"{config.host}:{config.port}",
        "TRIES": str(max(2, len(replicas))),
    }
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text:
        raise StackError(f"{template}: a placeholder was left unfilled")
    return text


def start_nginx(config: StackConfig, replicas: list[Replica], template: Path) -> tuple[Path, int]:
    state = config.state_dir.resolve()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (state / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        if _is_root():
            shutil.chown(state / "nginx-tmp" / sub, "nobody", "nogroup")
    conf = state / "nginx.conf"
    conf.write_text(render_nginx(config, replicas, template), encoding="utf-8")
    base = [nginx_binary(), "-p", str(state), "-c", str(conf), "-e",
            str(state / "nginx-error.log")]
    checked = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        raise StackError(f"nginx refuses {conf}: {checked.stderr.strip()[-2000:]}")
    started = subprocess.run(base, capture_output=True, text=True, check=False)
    if started.returncode != 0:
        raise StackError(f"nginx did not start: {started.stderr.strip()[-2000:]}")
    pid_file = state / "nginx.pid"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not pid_file.exists():
        time.sleep(0.05)
    return conf, int(pid_file.read_text().strip())


def _alive(pid: int | None, marker: str) -> bool:
    """Whether ``pid`` runs and its command line holds ``marker`` (a recycled id does not)."""
    if pid is None:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return marker in cmdline


def _replica_marker(replica: Replica) -> str:
    return f"serve --host 127.0.0.1 --port {replica.port}"


def _nginx_marker(state: StackState) -> str:
    """nginx's master keeps its arguments in its title: ours names our configuration."""
    return f"-c {state.nginx_conf}"


def _wait_ready(url: str, deadline: float, what: str, pid: int, marker: str) -> None:
    last = "no answer"
    while time.monotonic() < deadline:
        if not _alive(pid, marker):
            raise StackError(f"{what} exited during start-up")
        try:
            r = httpx.get(f"{url}/readyz", timeout=2)
            if r.status_code == 200:
                return
            last = f"{r.status_code} {r.text[:300]}"
        except httpx.HTTPError as exc:
            last = type(exc).__name__
        time.sleep(0.2)
    raise StackError(f"{what} not ready in time (last answer: {last})")


def up(config: StackConfig, template: Path = NGINX_TEMPLATE) -> StackState:
    """Bring the stack up and return what runs; on any failure, stop what was started."""
    config.state_dir.mkdir(parents=True, exist_ok=True)
    existing = StackState.load(config.state_dir)
    if existing is not None and any(_alive(r.pid, _replica_marker(r))
                                    for r in existing.replicas):
        raise StackError(f"a stack is already up in {config.state_dir} ({existing.url}); "
                         "'triage stack down' first")
    state = StackState(
        state_dir=str(config.state_dir.resolve()),
        url=f"http://{config.host}:{config.port}",
        db_url=config.db_url or "",
        models_dir=str(config.models_dir.resolve()),
        keys_file=str(config.keys_file.resolve()),
    )
    try:
        if config.db_url is None:
            state.db_url, data, port = start_postgres(config.state_dir)
            state.pg_data, state.pg_port = str(data), port
            state.save()
        # Migrate once before the replicas start, so a bad store fails here with its reason.
        engine = make_engine(state.db_url)
        try:
            migrate(engine)
        finally:
            engine.dispose()
        for i in range(config.replicas):
            state.replicas.append(start_replica(config, i, state.db_url))
            state.save()
        deadline = time.monotonic() + config.startup_seconds
        for r in state.replicas:
            try:
                _wait_ready(r.url, deadline, r.name, r.pid, _replica_marker(r))
            except StackError as exc:
                tail = Path(r.log).read_text(encoding="utf-8", errors="replace")[-3000:]
                raise StackError(f"{exc}; its log ({r.log}) ends:\n{tail}") from None
        conf, state.nginx_pid = start_nginx(config, state.replicas, template)
        state.nginx_conf = str(conf)
        state.save()
        _wait_ready(state.url, time.monotonic() + 30, "nginx", state.nginx_pid,
                    _nginx_marker(state))
    except BaseException:
        down(config.state_dir, state)
        raise
    return state


def _stop_pid(pid: int, marker: str, sig: signal.Signals, wait: float = 30.0) -> None:
    if not _alive(pid, marker):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _alive(pid, marker):
        time.sleep(0.1)
    if _alive(pid, marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def down(state_dir: Path, state: StackState | None = None, *, purge: bool = False) -> bool:
    """Stop nginx, the replicas and the stack's own PostgreSQL (only the recorded processes).
    With ``purge`` the stack's PostgreSQL data is deleted too. False when nothing was up."""
    state = state if state is not None else StackState.load(state_dir)
    if state is None:
        return False
    if state.nginx_pid is not None:
        _stop_pid(state.nginx_pid, _nginx_marker(state), signal.SIGQUIT)  # finish requests, then go
    for r in state.replicas:
        _stop_pid(r.pid, _replica_marker(r), signal.SIGTERM)
    if state.pg_data is not None:
        data = Path(state.pg_data)
        if (data / "db" / "postmaster.pid").exists():
            stop_postgres(data)
        if purge:
            shutil.rmtree(data, ignore_errors=True)
            (Path(state_dir) / PG_DATA_POINTER).unlink(missing_ok=True)
    (Path(state_dir) / STATE_FILE).unlink(missing_ok=True)
    return True


def status(state_dir: Path) -> dict[str, Any] | None:
    """Each part's state: nginx and every replica (alive, /readyz through its own port)."""
    state = StackState.load(state_dir)
    if state is None:
        return None
    replicas = []
    for r in state.replicas:
        entry: dict[str, Any] = {"name": r.name, "port": r.port, "pid": r.pid,
                                 "alive": _alive(r.pid, _replica_marker(r))}
        try:
            entry["readyz"] = httpx.get(f"{r.url}/readyz", timeout=2).json()
        except (httpx.HTTPError, ValueError) as exc:
            entry["readyz"] = {"status": f"no answer ({type(exc).__name__})"}
        replicas.append(entry)
    nginx_alive = _alive(state.nginx_pid, _nginx_marker(state))
    return {
        "url": state.url,
        "nginx": {"pid": state.nginx_pid, "alive": nginx_alive},
        "postgres": {"own": state.pg_data is not None, "port": state.pg_port},
        "replicas": replicas,
        "healthy": nginx_alive and all(
            e["alive"] and e["readyz"].get("status") == "ready" for e in replicas),
    }
