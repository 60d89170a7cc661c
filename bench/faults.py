"""Faults injected during an exam run (`bench/exam_day.py --fault …`), and their report.

The fault is timed from the exam's clock: locust writes the moment the last
learner logged in to BENCH_CLOCK_FILE; the exam starts then (each learner within
--start-window), and the fault comes --fault-after seconds after the start window
closed, when every learner is answering questions.

- node-kill: `kill -9` of both gunicorn masters of node 1 (its main pool and its
  save pool); the orphaned workers finish what they hold and exit. nginx sends the
  learners to the other node(s). With --node-restart-after the node is started
  again (as systemd's Restart=on-failure would), and nginx sends it learners again.
- pg-restart: `pg_ctlcluster … restart -m fast` of the benchmark's own cluster.
- redis-restart: FLUSHALL, then the benchmark's own redis-server killed and started
  again, empty. Sessions are cached_db: learners stay logged in.
- network: done by the load generator itself (bench/locustfile.py): for
  --drop-seconds the chosen share of learners is offline — every request fails at
  once, as fetch() does in an offline browser — and exam.js's retry rules bring
  their answers in.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

KINDS = ("node-kill", "pg-restart", "redis-restart", "network")


class FaultRunner(threading.Thread):
    """Waits for the exam's clock, then runs `action` (which returns when the fault is
    over, e.g. when PostgreSQL accepts connections again)."""

    def __init__(
        self,
        kind: str,
        clock_file: Path,
        *,
        start_window: float,
        after: float,
        action: Callable[[dict[str, float]], None],
    ) -> None:
        super().__init__(daemon=True)
        self.kind = kind
        self.clock_file = clock_file
        self.delay = start_window + after
        self.action = action
        self.times: dict[str, float] = {}
        self.error = ""
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                if self.clock_file.exists():
                    clock = json.loads(self.clock_file.read_text(encoding="utf-8") or "{}")
                    if "all_logged_in" in clock:
                        break
                self.stopped.wait(0.5)
            else:
                return
            at = clock["all_logged_in"] + self.delay
            if self.stopped.wait(max(0.0, at - time.time())):
                return
            if self.kind == "network":
                return  # locust drops the connections itself
            self.times["fault"] = time.time()
            self.action(self.times)
            self.times.setdefault("fault_over", time.time())
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            self.error = repr(error)


def fault_report(
    kind: str,
    records: list[list[Any]],
    times: dict[str, float],
    client: dict[str, Any],
    clock: dict[str, Any],
    failures: list[list[Any]],
) -> list[str]:
    """Errors around the fault, recovery time and the client's retries."""
    if kind == "network":
        times = {"fault": clock.get("drop_from", 0.0), "fault_over": clock.get("drop_until", 0.0)}
    fault = times.get("fault")
    if not fault:
        return [f"fault {kind}: never happened (the run ended before it?)"]
    over = times.get("fault_over", fault)
    origin = clock.get("all_logged_in", fault)
    before = [r for r in records if not r[3] and r[1] < fault]
    after = [r for r in records if not r[3] and r[1] >= fault]
    by_step: dict[str, int] = defaultdict(int)
    for name, *_ in after:
        by_step[name] += 1
    last_failure = max((r[1] for r in after), default=fault)
    lines = [
        f"fault: {kind} at {fault - origin:.0f} s after the last login"
        + (f"; over (back up) {over - fault:.1f} s later" if over > fault else ""),
        *(
            f"  {name} {value - fault:+.1f} s"
            for name, value in sorted(times.items(), key=lambda item: item[1])
            if name not in {"fault", "fault_over"}
        ),
        f"{'failed requests before the fault':<44}{len(before):>10}",
        f"{'failed requests from the fault on':<44}{len(after):>10}"
        + (
            "  (" + ", ".join(f"{n}: {c}" for n, c in sorted(by_step.items())) + ")"
            if after
            else ""
        ),
        f"{'recovery: last failure, s after the fault':<44}{last_failure - fault:>10.1f}",
        f"{'  … s after the fault was over':<44}{max(0.0, last_failure - over):>10.1f}",
    ]
    what: dict[str, int] = defaultdict(int)
    for _name, at, message in failures:
        if at >= fault:
            what[message] += 1
    if what:
        lines.append(f"{'  what failed':<44}{'':>10}" + _counts(what))
    return lines


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    return "  (" + ", ".join(f"{name}: {n}" for name, n in sorted(counts.items())) + ")"


def client_lines(client: dict[str, Any]) -> list[str]:
    """The load generator's own counts: retries (exam.js's for saves, a reload for
    pages), and what never got through in the end."""
    retries: dict[str, int] = client.get("retries", {})
    lines = [
        f"{'client retries (all steps)':<44}{sum(retries.values()):>10}"
        + (
            "  (" + ", ".join(f"{n}: {c}" for n, c in sorted(retries.items())) + ")"
            if retries
            else ""
        ),
        f"{'answers chosen but never confirmed':<44}{client.get('unconfirmed', 0):>10}",
        f"{'saves refused for good (400/403/404)':<44}{client.get('refused', 0):>10}",
        f"{'learners who gave up on a page':<44}{client.get('gave_up', 0):>10}",
        f"{'pages resent at once (kept-alive closed)':<44}{client.get('resent', 0):>10}",
        *(
            [f"{'learners cut off by the network fault':<44}{client['dropped']:>10}"]
            if client.get("dropped")
            else []
        ),
    ]
    return lines
