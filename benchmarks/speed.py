"""Build speed and memory beside plain jieba, measured side by side in one run.

For the seed article and a 1 MB prefix of ../shared/corpus/hongloumeng.txt (cut at a line
end), each command runs in a fresh process; the table gives its CPU seconds (user + system,
the process and its children), wall seconds and peak RSS, and the ratio of CPU and wall to
`jieba.lcut` of the same file in its own process (import and dictionary load included, as
in a build). Then the small commands: `pinyin 你好` and `lookup 银行`, warm and with an
empty dictionary cache. The first, uncounted run of everything warms the caches.

    python benchmarks/speed.py [--runs 3] [--jobs 1,2] [--whole-novel]

`flashcards build` alone uses its default number of jobs (one a core, one for a short
text); `--jobs 1,2` adds rows with each number given.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_6077f70e12453669.txt"
NOVEL = SHARED / "corpus" / "hongloumeng.txt"
MB = 1_000_000

JIEBA = (
    "import jieba, logging, sys; jieba.setLogLevel(logging.WARNING); "
    "jieba.lcut(open(sys.argv[1], encoding='utf-8').read())"
)


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak RSS in MiB) of one process and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or os.environ
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def median_run(cmd: list[str], runs: int, env: dict | None = None) -> tuple[float, float, float]:
    results = [run(cmd, env) for _ in range(runs)]
    return tuple(statistics.median(r[k] for r in results) for k in range(3))  # type: ignore


def novel_prefix(folder: Path) -> Path:
    data = NOVEL.read_bytes()[:MB]
    data = data[: data.rfind(b"\n") + 1]
    path = folder / "hongloumeng-1mb.txt"
    path.write_bytes(data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", default="", help="also build with these --jobs, e.g. 1,2")
    parser.add_argument(
        "--whole-novel", action="store_true", help="also the whole of hongloumeng.txt (2.5 MB)"
    )
    args = parser.parse_args()
    if not SEED.exists() or not NOVEL.exists():
        sys.exit(f"needs ../shared (seeds and corpus) beside the repository; not found at {SHARED}")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = {"seed article": SEED, "hongloumeng, 1 MB": novel_prefix(folder)}
        if args.whole_novel:
            inputs["hongloumeng, whole"] = NOVEL
        jobs = [int(j) for j in args.jobs.split(",") if j]
        rows = []
        for label, path in inputs.items():
            out = folder / "deck.apkg"
            commands = {
                "jieba.lcut": [py, "-c", JIEBA, str(path)],
                "flashcards build": [py, "-m", "flashcards", "build", str(path), "-o", str(out)],
            }
            for n in jobs:
                commands[f"flashcards build --jobs {n}"] = [
                    *commands["flashcards build"],
                    "--jobs",
                    str(n),
                ]
            for cmd in commands.values():
                run(cmd)  # warm the caches and the page cache
            measured = {name: median_run(cmd, args.runs) for name, cmd in commands.items()}
            base_cpu, base_wall, _ = measured["jieba.lcut"]
            for name, (cpu, wall, rss) in measured.items():
                rows.append(
                    (label, name, cpu, wall, rss, cpu / base_cpu, wall / base_wall)
                )
        print(f"{'input':<20}{'command':<30}{'CPU s':>8}{'wall s':>8}{'peak MiB':>10}"
              f"{'CPU ×':>8}{'wall ×':>8}")
        for label, name, cpu, wall, rss, rcpu, rwall in rows:
            print(f"{label:<20}{name:<30}{cpu:>8.2f}{wall:>8.2f}{rss:>10.0f}"
                  f"{rcpu:>8.2f}{rwall:>8.2f}")

        print()
        small = {
            "flashcards pinyin 你好": [py, "-m", "flashcards", "pinyin", "你好"],
            "flashcards lookup 银行": [py, "-m", "flashcards", "lookup", "银行"],
        }
        print(f"{'command':<30}{'warm s':>8}{'cold s':>8}{'peak MiB':>10}")
        for name, cmd in small.items():
            run(cmd)
            _, warm, rss = median_run(cmd, args.runs)
            colds = []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory() as cache:
                    env = {**os.environ, "FLASHCARDS_CACHE": cache}
                    colds.append(run(cmd, env)[1])
            print(f"{name:<30}{warm:>8.2f}{statistics.median(colds):>8.2f}{rss:>10.0f}")


if __name__ == "__main__":
    main()
