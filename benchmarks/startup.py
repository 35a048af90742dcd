"""Cold-process start-up: `flashcards lookup` and `flashcards analyze` beside loading jieba.

Each command runs in a fresh process, several times, in one run; the table gives medians
and each one's ratio to `python -c "import jieba; jieba.initialize()"`, so the numbers
compare on any machine. The first, uncounted run warms the parsed-dictionary cache.

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_6077f70e12453669.txt"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not SEED.exists():
        sys.exit(f"needs the seed article at ../shared/seeds ({SEED.name}); not found")
    py = sys.executable
    commands = {
        'python -c "import jieba; jieba.initialize()"': [
            py,
            "-c",
            "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize()",
        ],
        'python -c "pass"': [py, "-c", "pass"],
        "flashcards lookup 银行": [py, "-m", "flashcards", "lookup", "银行"],
        "flashcards analyze <seed article>": [py, "-m", "flashcards", "analyze", str(SEED)],
        "flashcards build <seed article> -o x.json": [
            py,
            "-m",
            "flashcards",
            "build",
            str(SEED),
            "-o",
            "/dev/null",
            "--format",
            "json",
        ],
    }
    for cmd in commands.values():  # warm caches (parsed dictionary, jieba's own)
        timed(cmd)
    times = {name: [] for name in commands}
    for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    base = statistics.median(times['python -c "import jieba; jieba.initialize()"'])
    print(f"cold start-up, median of {args.runs} runs, one process each")
    print(f"| {'command':<44} | {'median s':>8} | {'x jieba init':>12} |")
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 14}|")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"| {name:<44} | {m:>8.3f} | {m / base:>12.2f} |")


if __name__ == "__main__":
    main()
