"""``triage loadtest``: a bounded locust run on loopback with an SLO verdict."""

from __future__ import annotations

import json as jsonlib
import math
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from loadtests import profiles
from loadtests.runner import SLO, Endpoint, LoadTestError, Verdict, read_key, run


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3g}"


def _print_verdict(console: Console, v: Verdict) -> None:
    mode = f", {v.workers} locust workers" if v.workers else ""
    table = Table(
        title=f"Load test: {v.profile} at scale {v.scale:g} for {v.duration_s:g} s{mode}",
        caption="service: its own histogram (/metrics) for the same window, interpolated "
        "inside its buckets",
    )
    for col in ("endpoint", "requests", "failures", "p50 ms", "p95 ms", "p99 ms", "req/s",
                "service requests", "service p50 / p95 / p99 ms"):
        table.add_column(col, justify="right" if col != "endpoint" else "left")
    service = {row.name: row for row in v.service}
    rows = [*v.endpoints, Endpoint("Aggregated", v.requests, v.failures, v.p50_ms, v.p95_ms,
                                   v.p99_ms, v.throughput_rps)]
    for ep in rows:
        own = service.get(ep.name)
        own_cells = (
            (str(own.requests), f"{_ms(own.p50_ms)} / {_ms(own.p95_ms)} / {_ms(own.p99_ms)}")
            if own is not None else ("-", "-")
        )
        name = "[b]all[/b]" if ep.name == "Aggregated" else ep.name
        table.add_row(name, str(ep.requests), str(ep.failures), f"{ep.p50_ms:g}",
                      f"{ep.p95_ms:g}", f"{ep.p99_ms:g}", f"{ep.rps:.2f}", *own_cells)
    console.print(table)
    arrivals = v.arrivals
    console.print(
        f"offered {v.offered_rate:.3f} actions/s ({v.offered_actions:.0f}); arrivals due "
        f"{arrivals.get('due', '?')} (Poisson), sent {arrivals.get('sent', '?')}; achieved "
        f"{v.achieved_rate:.3f} actions/s ({v.achieved_actions}); failure ratio "
        f"{v.failure_ratio:.4f}; SLO p99 <= {v.slo.p99_ms:g} ms, failures <= "
        f"{v.slo.max_failure_ratio:g}"
    )
    if v.burst.get("size"):
        span = v.burst.get("span_s")
        console.print(
            f"major incident: {v.burst.get('sent')} of {v.burst['size']} burst requests sent"
            + (f" within {span:.2f} s" if isinstance(span, float) else "")
        )
    if v.generator_cpu_max is not None:
        console.print(
            f"generator CPU: max {v.generator_cpu_max:.0f}%, mean "
            f"{v.generator_cpu_mean or 0:.0f}% (per process; locust warns above 90%)"
        )
    for note in v.notes:
        console.print(f"[yellow]{note}[/yellow]" if note.startswith(("GENERATOR", "SERVICE"))
                      else note)
    console.print(f"report: {v.report_html}  csv: {v.csv_prefix}_stats.csv")
    if v.passed:
        console.print("[bold green]PASS[/bold green]: the run met its SLO")
    else:
        console.print("[bold red]BREACH[/bold red]: " + "; ".join(v.breaches))


def loadtest(
    profile: str = typer.Option(
        ..., help=f"Load profile: {', '.join(profiles.PROFILES)}.", show_default=False
    ),
    host: str = typer.Option(..., help="Service URL on this machine, e.g. http://127.0.0.1:8000."),
    scale: float = typer.Option(1.0, help="x the real-world rate of one force (1 is real life)."),
    duration: float = typer.Option(60.0, help="Seconds of load."),
    p99_ms: float = typer.Option(50.0, "--p99-ms", help="SLO: p99 latency of all requests."),
    max_failure_ratio: float = typer.Option(0.0, help="SLO: share of failed requests allowed."),
    key_file: Path | None = typer.Option(
        None, "--key-file",
        help="File holding the API key (handler role); default: TRIAGE_API_KEY.",
        show_default=False,
    ),
    key: str | None = typer.Option(
        None, "--key", hidden=True,
        help="Refused: a key on the command line is visible to every local user (ps).",
    ),
    max_requests: int = typer.Option(200_000, help="Hard cap on requests in the run."),
    out: Path = typer.Option(Path("var/loadtests"), help="Folder for locust's CSV and HTML."),
    json: bool = typer.Option(False, "--json", help="Print the verdict as one JSON object."),
    workers: int = typer.Option(
        0, help="Run locust distributed on this machine: a master and N worker processes "
        "(0: one process). Across machines, see docs/CAPACITY.md.",
    ),
    burst_size: int = typer.Option(
        profiles.DEFAULT_BURST_SIZE, help="major-incident-burst: triage requests within one "
        "second.",
    ),
    metrics_url: list[str] = typer.Option(
        [], "--metrics-url",
        help="The service's /metrics, for its own latency (repeat for each replica behind a "
        "balancer); default HOST/metrics.", show_default=False,
    ),
) -> None:
    """Load-test a running service against a control-room profile; exit 1 on an SLO breach."""
    console = Console()
    if key is not None:
        console.print(
            "[red]error:[/red] --key puts the key on the command line, where 'ps' shows it to "
            "every local user; use --key-file FILE or the TRIAGE_API_KEY variable."
        )
        raise typer.Exit(2)
    try:
        verdict = run(
            host=host, profile=profile, scale=scale, duration=duration,
            slo=SLO(p99_ms=p99_ms, max_failure_ratio=max_failure_ratio), out_dir=out,
            key=read_key(key_file), max_requests=max_requests, workers=workers,
            burst_size=burst_size, metrics_urls=metrics_url or None,
        )
    except (LoadTestError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if json:
        typer.echo(jsonlib.dumps(verdict.to_json(), default=str))
    else:
        _print_verdict(console, verdict)
    raise typer.Exit(0 if verdict.passed else 1)


def register(app: typer.Typer) -> None:
    """Add ``loadtest`` to ``app``."""
    app.command("loadtest")(loadtest)
