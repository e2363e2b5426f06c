"""Running tasks in worker processes, so that a map that crashes the renderer fails alone."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from journeymap.batch.worker import PRELOAD, PRELOAD_EXPORT, Done, Failure, Task, run, send_run


def _context(export: bool) -> Any:
    import multiprocessing

    # forkserver: workers fork from a clean server that has imported the renderer once, never from a
    # parent that may be running threads (the progress bar).
    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD + (PRELOAD_EXPORT if export else ())))
    return context


def results(tasks: list[Task], jobs: int) -> Iterable[Done]:
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(run, tasks)
        return
    export = any(fmt != "svg" for task in tasks for fmt in task.outputs)
    # A worker that dies (a crash in cairo, the OOM killer) breaks the whole pool and every map it held
    # fails with it. Those maps are run again, each in a process of its own: one that dies then is the
    # map that kills the renderer, and only it fails.
    unfinished = yield from _in_pool(tasks, jobs, export)
    if unfinished:
        yield from _one_by_one(unfinished, jobs, export)


def _in_pool(tasks: list[Task], jobs: int, export: bool) -> Generator[Done, None, list[Task]]:
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    lost: set[int] = set()
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=_context(export)) as pool:
        futures = {pool.submit(run, task): index for index, task in enumerate(tasks)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                lost.add(futures[future])
            except Exception as exc:  # the result could not be sent back, say
                yield Done(tasks[futures[future]].source, failures={"": Failure(f"the renderer stopped: {exc!r}")})
    return [task for index, task in enumerate(tasks) if index in lost]


def _one_by_one(tasks: list[Task], jobs: int, export: bool) -> Iterable[Done]:
    """Each task in a new process, `jobs` at a time; a process that dies fails its own task only."""
    from multiprocessing.connection import wait

    context = _context(export)
    waiting: list[Task] = list(reversed(tasks))
    running: dict[Any, tuple[Any, Task]] = {}  # the pipe a process answers on -> the process, its task
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                task = waiting.pop()
                reader, writer = context.Pipe(duplex=False)
                process = context.Process(target=send_run, args=(run, task, writer), daemon=True)
                process.start()
                writer.close()  # so that the reader sees the end when the process dies
                running[reader] = (process, task)
            ready: Any
            for ready in wait(list(running)):
                process, task = running.pop(ready)
                try:
                    done = ready.recv()
                except EOFError:  # it died before sending its result
                    process.join()
                    done = Done(task.source, failures={"": Failure(f"the renderer crashed ({_death(process.exitcode)})")})
                ready.close()
                process.join()
                yield done
    finally:  # interrupted: stop what is still running
        for process, _ in running.values():
            process.kill()
            process.join()


def _death(exitcode: int | None) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        return f"killed by signal {name}" + (", out of memory?" if -exitcode == signal.SIGKILL else "")
    return f"exit code {exitcode}"
