"""What `journeymap build` shows: a progress bar on a terminal, errors as they come, a summary table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from journeymap.batch import BuildReport, MapFailure
from journeymap.batch.messages import format_failure, shown
from journeymap.batch.worker import Done


class BuildOutput:
    def __init__(self, out: Console | None = None, err: Console | None = None):
        self.out = out or Console(highlight=False)
        self.err = err or Console(stderr=True, highlight=False)
        self.progress: Any = None
        self.bar: Any = None

    def start(self, total: int) -> None:
        if not self.err.is_terminal:  # CI logs get the summary only, not a bar redrawn hundreds of times
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("rendering"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.err,
            transient=True,
        )
        self.progress.start()
        self.bar = self.progress.add_task("rendering", total=total)

    def advance(self, done: Done) -> None:
        if self.progress is not None:
            self.progress.advance(self.bar)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def usage_error(self, message: str) -> None:
        self.err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)

    def failure(self, failure: MapFailure) -> None:
        from rich.text import Text

        color = self.err.is_terminal and not self.err.no_color
        text = format_failure(failure.source, failure.output, failure.failure, color=color)
        self.err.print(Text.from_ansi(text) if color else Text(text), soft_wrap=True)

    def report(self, report: BuildReport) -> None:
        for failure in report.failed:
            self.failure(failure)
        if report.check:
            self._check(report)
            return
        table = Table(title=f"journeymap build → {shown(report.out_dir)}", title_justify="left")
        for column in ("files", "written", "skipped", "failed", "time"):
            table.add_column(column, justify="right")
        table.add_row(
            str(report.files),
            str(len(report.written)),
            str(len(report.skipped)),
            str(report.failed_maps),
            f"{report.seconds:.2f} s",
        )
        self.out.print(table)

    def _check(self, report: BuildReport) -> None:
        for stale in report.stale:
            self.out.print(
                f"{escape(shown(stale.output))}: {stale.reason} (from {escape(shown(stale.source))})", soft_wrap=True
            )
        total = len(report.stale) + len(report.skipped)
        if report.stale:
            self.out.print(f"{len(report.stale)} of {total} outputs are missing or stale; run journeymap build")
        else:
            self.out.print(f"all {total} outputs of {report.files} maps are up to date")
