"""``triage demo``: synthetic history, a trained model and the service with its page.

On a fresh checkout one command gives a working call handler's page: it generates synthetic
history (calibrated to the published figures, and labelled synthetic everywhere), trains a model
on it and promotes it through the safety gate (only when the registry has no current model:
a re-run reuses it, so the second start takes seconds), makes a demo handler key, and serves.

Everything goes where the settings say (``TRIAGE_MODELS_DIR``, ``TRIAGE_KEYS_FILE``,
``TRIAGE_DB_URL``; by default ``models/`` and ``var/``, both ignored by git); the synthetic data
goes under ``var/demo/``.

The key: keys are stored only as hashes, so the demo cannot show an old key again. Each run
revokes the previous demo key (named ``demo-handler``) and prints a new one.
"""

from __future__ import annotations

import errno
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from triage.settings import Settings, get_settings

#: The demo key's name in the keys file (what the audit log records for its suggestions).
DEMO_KEY_NAME = "demo-handler"
#: Default synthetic history size: enough for a model that passes the safety gate, small enough
#: that a fresh demo trains in about a minute on two cores (benchmarks/bench_demo.py measures
#: it: about 62 s of CPU from start to page for 60,000 rows).
DEFAULT_ROWS = 60_000
DEFAULT_SEED = 7
DEFAULT_DATA_DIR = Path("var/demo")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


class LogLevel(StrEnum):
    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    DEBUG = "debug"


class DemoError(Exception):
    """A problem the user can fix; the message says what and how."""


@dataclass(frozen=True)
class Prepared:
    """What ``prepare`` made or found."""

    model_version: str
    trained: bool
    data_path: Path | None
    key: str
    keys_file: Path
    models_dir: Path


def synthetic_data_path(data_dir: Path, rows: int, seed: int) -> Path:
    return data_dir / f"synthetic-history-{rows}-seed{seed}.parquet"


def check_port_free(host: str, port: int) -> None:
    """Fail before the slow steps when the port is taken, with the flag that fixes it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DemoError(f"--host {host!r} is not an address this machine has ({exc}).") from exc
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DemoError(
                    f"Port {port} on {host} is already in use (another demo or service?). "
                    "Stop it, or pick another port with --port."
                ) from exc
            raise DemoError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from exc


def ensure_model(
    models_dir: Path, data_dir: Path, rows: int, seed: int
) -> tuple[str, bool, Path | None]:
    """The registry's current version, training and promoting one first when there is none.

    Returns ``(version, trained_now, data_path)``.
    """
    from training.train import TrainingError, train_and_register
    from triage.corpus import CorpusError, project_corpus
    from triage.history import synth
    from triage.history.loader import ExportError
    from triage.registry import RegistryError, current_version

    try:
        current = current_version(models_dir)
    except RegistryError as exc:
        raise DemoError(f"The model registry {models_dir}/ cannot be read: {exc}") from exc
    if current is not None:
        console.print(f"Model: reusing [bold]{current}[/] from {models_dir}/ (already promoted).")
        return current, False, None

    data_path = synthetic_data_path(data_dir, rows, seed)
    if data_path.exists():
        console.print(f"Synthetic history: reusing {data_path}")
    else:
        started = time.perf_counter()
        with console.status(f"Generating {rows:,} synthetic requests (seed {seed})..."):
            frame = synth.generate(rows, seed)
            data_path.parent.mkdir(parents=True, exist_ok=True)
            synth.write_frame(frame, data_path)
        console.print(
            f"Synthetic history: {rows:,} rows -> {data_path} "
            f"({time.perf_counter() - started:.1f} s). "
            "[bold]Synthetic data, not patient records.[/]"
        )

    try:
        corpus = project_corpus()
    except CorpusError as exc:
        raise DemoError(f"The hand-written corpus cannot be used: {exc}") from exc
    if corpus is not None:
        console.print(f"Hand-written corpus: {corpus.rows:,} synthetic vignettes from "
                      f"{corpus.listing} also teach the model wording.")
    started = time.perf_counter()
    with console.status("Training a model...") as status:

        def progress(stage: str, detail: str) -> None:
            status.update(f"Training: {stage} ({detail})" if detail else f"Training: {stage}")

        try:
            result = train_and_register(data_path, models_dir, promote=True, progress=progress,
                                        corpus=corpus)
        except (TrainingError, ExportError, RegistryError) as exc:
            raise DemoError(f"Training on {data_path} failed: {exc}") from exc
    seconds = time.perf_counter() - started
    if not result.promoted:
        raise DemoError(
            f"The model trained on {data_path} ({result.version}) was registered but NOT promoted: "
            f"{result.refusal or 'the safety gate refused it'}. The demo will not serve a model "
            "that failed the safety gate; try more rows (--rows) or another --seed."
        )
    console.print(f"Model: trained and promoted [bold]{result.version}[/] ({seconds:.0f} s).")
    return result.version, True, data_path


def make_demo_key(keys_file: Path) -> str:
    """Revoke the previous demo key (if any) and return a new handler key."""
    from service import keys

    try:
        if any(r.name == DEMO_KEY_NAME for r in keys.read_keys(keys_file)):
            keys.revoke_key(keys_file, DEMO_KEY_NAME)
        return keys.add_key(keys_file, DEMO_KEY_NAME, keys.Role.HANDLER)
    except keys.KeysFileError as exc:
        raise DemoError(str(exc)) from exc


def prepare(models_dir: Path, keys_file: Path, data_dir: Path, rows: int, seed: int) -> Prepared:
    """Everything the demo needs before it serves: a promoted model and a handler key."""
    version, trained, data_path = ensure_model(models_dir, data_dir, rows, seed)
    key = make_demo_key(keys_file)
    return Prepared(
        model_version=version, trained=trained, data_path=data_path, key=key,
        keys_file=keys_file, models_dir=models_dir,
    )


def _announce(prepared: Prepared, url: str | None, seconds: float) -> None:
    console.print()
    console.rule("[bold]Demo ready[/]")
    console.print("[bold]Synthetic data only.[/] Suggestions are advisory: a clinician decides.")
    if url:
        console.print(f"Call handler's page: [bold]{url}[/]  (up {seconds:.0f} s after the start)")
    else:
        console.print(f"Prepared in {seconds:.0f} s.")
    console.print(f"Handler key (shown once; sign in with it on the page): [bold]{prepared.key}[/]")
    console.print(
        f"Model {prepared.model_version} in {prepared.models_dir}/; key stored (hashed) in "
        f"{prepared.keys_file}."
    )
    if url:
        console.print("Press Ctrl+C to stop.")
    else:
        console.print("Start the service with [bold]triage serve[/] (or run [bold]triage demo[/]).")
    console.rule()


def register(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""

    @app.command("demo")
    def demo(
        host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8000,
        rows: Annotated[
            int,
            typer.Option(min=1000, max=5_000_000, help="Synthetic rows to train on (fresh runs)."),
        ] = DEFAULT_ROWS,
        seed: Annotated[int, typer.Option(help="Seed for the synthetic history.")] = DEFAULT_SEED,
        data_dir: Annotated[
            Path, typer.Option(help="Where the synthetic history is written.")
        ] = DEFAULT_DATA_DIR,
        log_level: Annotated[
            LogLevel,
            typer.Option(help="The service's log level (the demo keeps its console quiet)."),
        ] = LogLevel.WARNING,
        serve: Annotated[
            bool,
            typer.Option("--serve/--no-serve", help="Serve after preparing (--no-serve: only "
                         "prepare the model and the key)."),
        ] = True,
    ) -> None:
        """On a fresh checkout: synthetic data, a trained model and the service with its page,
        in one command. Re-running reuses the model and prints a new demo key."""
        settings = get_settings().model_copy(
            update={"host": host, "port": port, "log_level": log_level.value}
        )
        started = time.perf_counter()
        try:
            if serve:
                check_port_free(host, port)
            prepared = prepare(
                settings.models_dir, settings.keys_file, data_dir, rows, seed
            )
        except DemoError as exc:
            err_console.print(f"[bold red]triage demo:[/] {exc}")
            raise typer.Exit(code=1) from exc
        if not serve:
            _announce(prepared, None, time.perf_counter() - started)
            return
        url = f"http://{host}:{port}/"
        console.print(f"Starting the service on {url} ...")
        _serve(settings, lambda: _announce(prepared, url, time.perf_counter() - started))


def _serve(settings: Settings, on_ready: Callable[[], None]) -> None:
    """Serve the app built for exactly these settings (the same models, keys and store), and
    call ``on_ready`` once it accepts connections (so the URL is printed when it works)."""
    import uvicorn

    from service.app import create_app

    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            log_config=None,
            access_log=False,
            proxy_headers=False,
            server_header=False,
        )
    )

    def announce_when_started() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        on_ready()

    threading.Thread(target=announce_when_started, name="demo-ready", daemon=True).start()
    server.run()
