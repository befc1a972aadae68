"""Benchmark: the trainer dashboard for 100 and 1,000 simulated participants.

Every simulated participant has answered every activity of the agenda (the generated demo cohort
of `workshop_lib.trainer.demo`), written once per size as response files (not timed). The
figures are the seconds to build the dashboard (read every answer and draw it) and to click
Refresh after one more participant has answered a poll (so that there is something new to
send): wall clock, CPU time of the process (which other work on a shared machine does not
inflate), and how much of it was reading the answers from the store. What the build and one
refresh send to the browser is measured too: every widget message is recorded (a stand-in for
the kernel's comm) as the JSON the kernel would send.

Run: `.venv/bin/python benchmarks/dashboard_scaling.py [SIZES...]`.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import comm

SIZES = [100, 1_000]
ROUNDS = 3


class RecordingComm(comm.DummyComm):
    """A comm that keeps the size of every message instead of sending it."""

    sent_bytes = 0

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        """Count the bytes of the message as JSON, plus its binary buffers."""
        payload = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
        RecordingComm.sent_bytes += len(payload) + sum(len(b) for b in buffers or [])


def main(sizes: list[int]) -> None:
    """Print, per size, the build and refresh times and the bytes sent."""
    comm.create_comm = RecordingComm
    from workshop_lib.exercises import content
    from workshop_lib.responses.folder import FolderStore
    from workshop_lib.trainer import dashboard as board_module
    from workshop_lib.trainer.demo import DEMO_COHORT, write_demo_cohort

    reading = []
    load = board_module.load_cohort

    def timed_load(*args, **kwargs):
        start = time.perf_counter()
        try:
            return load(*args, **kwargs)
        finally:
            reading.append(time.perf_counter() - start)

    board_module.load_cohort = timed_load
    poll = next(a for a in content.all_activities() if isinstance(a, content.Poll))
    header = ("participants", "answers", "build s", "sent MB", "refresh s", "CPU s", "reading s")
    print("{:>12} {:>8} {:>8} {:>8} {:>10} {:>6} {:>10} {:>16}".format(*header, "sent/refresh MB"))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "responses"
            files = write_demo_cohort(root, size)
            RecordingComm.sent_bytes = 0
            start = time.perf_counter()
            board = board_module.dashboard(str(root), DEMO_COHORT)
            build = time.perf_counter() - start
            built = RecordingComm.sent_bytes
            times, cpu, sent = [], [], []
            reading.clear()
            for n in range(ROUNDS):
                answer = {"choice": poll.options[0]}
                FolderStore(root).save(f"late-participant-{n}", DEMO_COHORT, poll.notebook,
                                       poll.activity_id, answer, kind="poll")  # fmt: skip
                RecordingComm.sent_bytes = 0
                start, started_cpu = time.perf_counter(), time.process_time()
                board.refresh_button.click()
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - started_cpu)
                sent.append(RecordingComm.sent_bytes)
        row = (size, files, build, built / 1e6, statistics.median(times), statistics.median(cpu))
        row += (statistics.median(reading), max(sent) / 1e6)
        line = "{:>12} {:>8} {:>8.2f} {:>8.2f} {:>10.2f} {:>6.2f} {:>10.2f} {:>16.2f}"
        print(line.format(*row), flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or SIZES)
