"""The tests' own process helpers: a command that times out takes its children with it."""

import os
import subprocess
import sys
import time

import pytest

from ..helpers import run_process, spawned

# A parent that starts a grandchild (as bench/throughput.py starts one process per approach),
# prints the grandchild's pid and then waits for it.
PARENT = ("import subprocess, sys; child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
          "print(child.pid, flush=True); child.wait()")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_a_timed_out_command_leaves_no_process_behind(tmp_path):
    marker = tmp_path / "pid"
    script = PARENT.replace("print(child.pid, flush=True)", f"open({str(marker)!r}, 'w').write(str(child.pid))")
    with pytest.raises(subprocess.TimeoutExpired):
        run_process([sys.executable, "-c", script], timeout=3)
    grandchild = int(marker.read_text())
    time.sleep(0.2)
    assert not alive(grandchild)


def test_a_spawned_command_is_ended_with_its_children_when_the_test_block_ends():
    with spawned([sys.executable, "-c", PARENT]) as process:
        grandchild = int(process.stdout.readline())
        assert alive(grandchild)
    time.sleep(0.2)
    assert not alive(grandchild) and process.poll() is not None
    assert os.getpgid(os.getpid()) != process.pid  # the group was the command's own, not the test's
