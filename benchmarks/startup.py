"""Start-up of one-shot commands, warm and cold cache, beside loading jieba.

Each command runs in a fresh process, several times, in one run; the table gives medians
and each one's ratio to `python -c "import jieba; jieba.initialize()"`, so the numbers
compare on any machine. Warm runs share one cache folder, filled by a first, uncounted
run; each cold run gets a new empty ``FLASHCARDS_CACHE`` folder, as the first command after
an install does (``--cold``, for the commands that read no text file by default: the
build of the seed article would add half a minute a run). Cold and warm runs interleave,
so load on the machine hits both alike.

    python benchmarks/startup.py [--runs 5] [--cold] [--all-cold]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_6077f70e12453669.txt"
JIEBA = 'python -c "import jieba; jieba.initialize()"'


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of the command: on a shared machine the CPU
    seconds vary less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _cell(text: str, width: int) -> str:
    """``text`` padded to ``width`` columns of a terminal (a Han character takes two)."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return text + " " * max(0, width - len(text) - wide)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cold", action="store_true",
        help="also time pinyin and lookup with a new empty cache folder each run",
    )
    parser.add_argument(
        "--all-cold", action="store_true", help="--cold, for analyze and build too"
    )
    args = parser.parse_args()
    if not SEED.exists():
        sys.exit(f"needs the seed article at ../shared/seeds ({SEED.name}); not found")
    py = sys.executable
    flashcards = [py, "-m", "flashcards"]
    commands = {
        JIEBA: [
            py,
            "-c",
            "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize()",
        ],
        'python -c "pass"': [py, "-c", "pass"],
        "flashcards pinyin 你好": [*flashcards, "pinyin", "你好"],
        "flashcards lookup 银行": [*flashcards, "lookup", "银行"],
        "flashcards analyze <seed article>": [*flashcards, "analyze", str(SEED)],
        "flashcards build <seed article> -o x.json": [
            *flashcards, "build", str(SEED), "-o", "/dev/null", "--format", "json",
        ],
    }
    cold_too = {
        name
        for name, cmd in commands.items()
        if cmd[: len(flashcards)] == flashcards
        and (args.all_cold or (args.cold and "<seed" not in name))
    }
    scratch = Path(tempfile.mkdtemp(prefix="flashcards-startup-"))
    try:
        warm_env = {**os.environ, "FLASHCARDS_CACHE": str(scratch / "warm")}
        for cmd in commands.values():  # warm caches (parsed dictionary, jieba's own)
            timed(cmd, warm_env)
        warm: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        cold: dict[str, list[tuple[float, float]]] = {name: [] for name in cold_too}
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            for name, cmd in commands.items():
                warm[name].append(timed(cmd, warm_env))
                if name in cold_too:
                    folder = tempfile.mkdtemp(dir=scratch, prefix="cold-")  # new and empty
                    cold_env = {**os.environ, "FLASHCARDS_CACHE": folder}
                    cold[name].append(timed(cmd, cold_env))
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    med = {name: tuple(statistics.median(t[k] for t in ts) for k in (0, 1))
           for name, ts in warm.items()}
    base = med[JIEBA][0]
    print(f"start-up, median of {args.runs} runs, one process each (wall and CPU seconds)")
    if not cold:
        print(f"| {_cell('command', 44)} | {'wall s':>7} | {'cpu s':>7} | {'x jieba init':>12} |")
        print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 14}|")
        for name, (wall, cpu) in med.items():
            print(f"| {_cell(name, 44)} | {wall:>7.3f} | {cpu:>7.3f} | {wall / base:>12.2f} |")
        return
    print(f"| {_cell('command', 44)} | {'warm s':>7} | {'cold s':>7} | {'cold - warm':>11} "
          f"| {'warm cpu':>8} | {'cold cpu':>8} | {'warm x jieba':>12} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 13}|{'-' * 10}|{'-' * 10}|{'-' * 14}|")
    for name, (wall, cpu) in med.items():
        if name in cold:
            c_wall, c_cpu = (statistics.median(t[k] for t in cold[name]) for k in (0, 1))
            cells = f"{c_wall:>7.3f} | {c_wall - wall:>11.3f} | {cpu:>8.3f} | {c_cpu:>8.3f}"
        else:
            cells = f"{'':>7} | {'':>11} | {cpu:>8.3f} | {'':>8}"
        print(f"| {_cell(name, 44)} | {wall:>7.3f} | {cells} | {wall / base:>12.2f} |")

if __name__ == "__main__":
    main()
