"""Running a command the way a benchmark must: wall time, CPU time and peak memory.

Peak memory is the most the command's whole process tree held at once: the tree is
sampled from /proc every few milliseconds and its processes' proportional set sizes (PSS:
private pages, plus each shared page divided among the processes sharing it) are added
up, so concurrent builds count in full while the interpreter's shared pages count once —
the memory the command costs the machine. (``/usr/bin/time -v``'s maximum resident set
is one process's, which would flatter concurrent work and count shared pages twice.)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.02


class CommandFailed(RuntimeError):
    pass


@dataclass
class Run:
    wall: float          # seconds
    cpu: float           # user + system seconds of the command and its children
    peak_kb: int         # peak resident set of the process tree
    output: str = ''


@dataclass
class Series:
    """Repeated measurements of one thing."""
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.runs.append(run)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def spread(self) -> tuple[float, float]:
        return min(r.wall for r in self.runs), max(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_kb(self) -> int:
        return max(r.peak_kb for r in self.runs)


def processes(name: str) -> Iterator[tuple[int, bytes]]:
    """(pid, the content of /proc/<pid>/<name>) for every process that still runs."""
    for entry in os.scandir('/proc'):
        if not entry.name.isdigit():
            continue
        try:
            with open(f'/proc/{entry.name}/{name}', 'rb') as handle:
                yield int(entry.name), handle.read()
        except OSError:
            continue


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for pid, stat in processes('stat'):
        parent = int(stat[stat.rfind(b')') + 2:].split()[1])     # after "pid (comm) state"
        children.setdefault(parent, []).append(pid)
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, ()))
    return tree


def pss_kb(pid: int) -> int:
    try:
        with open(f'/proc/{pid}/smaps_rollup', 'rb') as handle:
            for line in handle:
                if line.startswith(b'Pss:'):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def process_tree_kb(root: int) -> int:
    """The memory ``root`` and its descendants hold: the sum of their PSS."""
    return sum(pss_kb(pid) for pid in process_tree(root))


def cpu_seconds(pid: int) -> float:
    """User + system time of ``pid`` and of the children it has reaped (/proc/<pid>/stat)."""
    try:
        with open(f'/proc/{pid}/stat', 'rb') as handle:
            fields = handle.read().rsplit(b')', 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf('SC_CLK_TCK')     # utime stime cutime cstime


class TreeSampler(threading.Thread):
    def __init__(self, pid: int, also: Sequence[int] = ()):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.also = pid, 0, list(also)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, process_tree_kb(self.pid) + sum(process_tree_kb(p) for p in self.also))


def run(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True,
        also: Sequence[int] = ()) -> Run:
    """Run one command to completion and measure it.

    ``also``: processes outside the command's tree that work for it (taiyaku's warm build
    server, whose forks build for the command): their memory counts in the peak, whole (the
    idle server included), and the CPU time they and their reaped children spend meanwhile.
    """
    served_before = sum(cpu_seconds(pid) for pid in also)
    start = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    sampler = TreeSampler(process.pid, also)
    sampler.start()
    output = process.stdout.read().decode('utf-8', errors='replace')
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if check and process.returncode != 0:
        raise CommandFailed(f'`{" ".join(command)}` failed (exit {process.returncode}) in {cwd}:\n{output[-3000:]}')
    served = sum(cpu_seconds(pid) for pid in also) - served_before
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime + served, peak_kb=sampler.peak_kb, output=output)


def run_all(commands: Sequence[Sequence[str]], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Commands one after another, measured as one: times add up, the peak is the largest."""
    runs = [run(command, cwd, env) for command in commands]
    return Run(wall=sum(r.wall for r in runs), cpu=sum(r.cpu for r in runs), peak_kb=max(r.peak_kb for r in runs),
               output='\n'.join(r.output for r in runs))
