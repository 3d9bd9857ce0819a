#!/usr/bin/env python3
"""Writes the results of a `make bench` run (bench/all.sh) into docs/BENCHMARKS.md.

The section between the two markers below is replaced on every run; the rest of the document
(the hand-written analysis of earlier runs) is left as it is. On the first run the section goes
in before the document's second `## ` heading, i.e. right after "How to run".

    bench/record.py BUILD_DIR DOC

Reads BUILD_DIR/bench-results: steps.tsv (name, command, wall seconds, and why the step was
skipped, when it was), NAME.md (each step's printed tables), kernels.json (Google Benchmark's
JSON) and the files started and finished (UTC). The machine's facts come from lscpu,
/proc/meminfo, /etc/os-release, the kernel, the compiler of BUILD_DIR's CMake cache and the
transparent huge pages setting; the commit from the file commit, which bench/all.sh writes
when the run starts.
"""
import json
import os
import pathlib
import platform
import re
import subprocess
import sys

BEGIN = "<!-- make bench: begin (bench/record.py rewrites everything up to the end marker) -->"
END = "<!-- make bench: end -->"

# The fields of a Google Benchmark JSON record that are not the benchmark's own counters.
GOOGLE_BENCHMARK_FIELDS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
    "items_per_second", "bytes_per_second"}

TITLES = {
    "kernels": "Kernels, and the machine's bounds",
    "end_to_end": "End to end: the batch path",
    "peers": "Propagation beside igraph and SuiteSparse:GraphBLAS",
    "import": "Import into the store, then incremental scoring",
    "serve": "The web service under load",
    "mpi": "rapport-mpi with 1, 2 and 4 ranks",
}


def run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def cmake_cache(build):
    values = {}
    path = pathlib.Path(build) / "CMakeCache.txt"
    if path.exists():
        for line in path.read_text().splitlines():
            match = re.match(r"([A-Za-z_]+):[A-Z]+=(.*)", line)
            if match:
                values[match.group(1)] = match.group(2)
    return values


def machine(build, context):
    cpu = ""
    for line in run(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    memory = ""
    for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    system = platform.system()
    release = pathlib.Path("/etc/os-release")
    if release.exists():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = line.split("=", 1)[1].strip('"')
    cache = cmake_cache(build)
    compiler = run([cache.get("CMAKE_CXX_COMPILER", "c++"), "--version"]).splitlines()
    compiler = compiler[0] if compiler else "unknown compiler"
    build_type = cache.get("CMAKE_BUILD_TYPE", "unknown")
    caches = ", ".join(
        f"L{c['level']} {'data ' if c['type'] == 'Data' else ''}{c['size'] // 1024} KiB"
        f"{' x ' + str(context['num_cpus'] // c['num_sharing']) if c['num_sharing'] else ''}"
        for c in context.get("caches", []) if c["type"] in ("Data", "Unified"))
    setting = pathlib.Path("/sys/kernel/mm/transparent_hugepage/enabled")
    huge_pages = re.search(r"\[(\w+)\]", setting.read_text() if setting.exists() else "")
    parts = [cpu or "unknown CPU", f"{os.cpu_count()} logical CPUs", memory]
    if caches:
        parts.append(f"caches {caches}")
    parts += [system, f"Linux {platform.release()}", compiler, f"{build_type} build"]
    if huge_pages:
        parts.append(f"transparent huge pages `{huge_pages.group(1)}` (rapport and the benchmarks "
                     "ask for them for malloc)")
    return ", ".join(part for part in parts if part)


def commit(results):
    """The commit bench/all.sh recorded when the run started."""
    path = results / "commit"
    if not path.exists():
        return "unknown (not a git checkout)"
    head, *dirty = path.read_text().split()
    return f"`{head}`" + (" with uncommitted changes" if dirty else "")


def rate(value, unit):
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= scale:
            return f"{value / scale:.2f} {prefix}{unit}"
    return f"{value:.1f} {unit}"


def kernels_table(path):
    report = json.loads(path.read_text())
    rows = ["| benchmark | wall time an iteration | iterations | rate | counters |",
            "|---|---:|---:|---:|---|"]
    for bench in report["benchmarks"]:
        if bench.get("run_type") == "aggregate":
            continue
        name = bench["name"].removesuffix("/real_time")
        rates = []
        if "items_per_second" in bench:
            rates.append(rate(bench["items_per_second"], "items/s"))
        if "bytes_per_second" in bench:
            rates.append(rate(bench["bytes_per_second"], "B/s"))
        counters = ", ".join(f"{key} {value:.3g}" for key, value in bench.items()
                             if key not in GOOGLE_BENCHMARK_FIELDS and isinstance(value, (int, float)))
        rows.append(f"| `{name}` | {bench['real_time']:.1f} {bench['time_unit']} | "
                    f"{bench['iterations']} | {' / '.join(rates)} | {counters} |")
    return "\n".join(rows), report.get("context", {})


def demoted(markdown):
    """A step's own headings, one level below the step's."""
    return "\n".join("#" + line if line.startswith("#") else line
                     for line in markdown.strip().splitlines())


def section(build):
    results = pathlib.Path(build) / "bench-results"
    steps = [line.split("\t") for line in (results / "steps.tsv").read_text().splitlines()]
    kernels, context = "", {}
    if (results / "kernels.json").exists():
        kernels, context = kernels_table(results / "kernels.json")
    started = (results / "started").read_text().strip()
    finished = (results / "finished").read_text().strip()
    out = [BEGIN, "", f"## The last `make bench` ({started[:10]})", "",
           f"Written by `make bench` (bench/all.sh, then bench/record.py) from {started} to "
           f"{finished}, on commit {commit(results)}. The machine: {machine(build, context)}. "
           "Each step's own checks passed, or nothing would be written here. The sections after "
           "this one are earlier runs with their analysis.", ""]
    for name, command, seconds, skipped in steps:
        out += [f"### {TITLES.get(name, name)}", ""]
        if skipped:
            out += [f"Skipped: {skipped}.", ""]
            continue
        out += [f"`{command}` ({seconds} s):", ""]
        out += [kernels if name == "kernels" else demoted((results / f"{name}.md").read_text()), ""]
    out.append(END)
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench/record.py BUILD_DIR DOC")
    build, doc = sys.argv[1], pathlib.Path(sys.argv[2])
    new = section(build)
    text = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + new + text[text.index(END) + len(END):]
    else:
        headings = [match.start() for match in re.finditer(r"^## ", text, re.MULTILINE)]
        at = headings[1] if len(headings) > 1 else len(text)
        text = text[:at] + new + "\n\n" + text[at:]
    doc.write_text(text)
    print(f"wrote the results into {doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
