#!/usr/bin/env python3
"""Turns run.sh's hyperfine JSON (interleaved rounds) and /usr/bin/time output into the results page.

Usage: summarize.py OUT_DIR LOG_10M_BYTES LOG_1G_BYTES   (markdown on stdout; also OUT_DIR/summary.json)
Medians over every run of every round; ratios are medians of the same group (same rounds, same load).
"""
import glob
import json
import os
import re
import statistics
import sys

out, log10m, log1g = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


cpu = {}


def group(name):
    times = {}
    for path in sorted(glob.glob(os.path.join(out, f"{name}.round*.json"))):
        with open(path) as f:
            for r in json.load(f)["results"]:
                times.setdefault(r["command"], []).extend(r["times"])
                # hyperfine reports mean user and system time per call: CPU time, less sensitive to load.
                cpu.setdefault((name, r["command"]), []).append(r["user"] + r["system"])
    return times


memory = {}
with open(os.path.join(out, "memory.tsv")) as f:
    for line in f:
        g, label, kb = line.rstrip("\n").split("\t")
        memory.setdefault((g, label), []).append(int(kb))

loads = {}
with open(os.path.join(out, "load.txt")) as f:
    for line in f:
        g, when, *la = line.split()
        loads.setdefault(g, {})[when] = " ".join(la)

groups = ["running", "freshness", "collection_status", "log", "archive_dir", "status_text", "status_machine",
          "log_last_run", "log_scope_new_first", "log_scope_new_appended", "before_after", "before_after_log_first"]
titles = {
    "running": "check_duplicity_running vs check_procs -C duplicity (same process table)",
    "freshness": "check_duplicity_freshness --archive-dir vs check_file_age (newest manifest of the same cache)",
    "collection_status": "check_duplicity_freshness --archive-dir vs duplicity collection-status (same file:// target)",
    "log": "check_duplicity_log (last run, 10 MB log) vs check_log (same file)",
    "archive_dir": "Scale: archive dir (freshness -A), files in the folder",
    "status_text": "Scale: collection-status text (freshness -s), sets",
    "status_machine": "Scale: collection-status machine log (freshness -s), sets",
    "log_last_run": "Scale: log, --scope last-run",
    "log_scope_new_first": "Scale: log, --scope new, first scan (no state: reads the whole log from the page cache)",
    "log_scope_new_appended": "Scale: log, --scope new, second scan after appending N bytes",
    "before_after": "Before/after: the previous build (--before) and this one, interleaved",
    "before_after_log_first": "Before/after: 1 GiB log, --scope new first scan",
}

ms = lambda s: s * 1000.0
med = {}
lines = []
for g in groups:
    times = group(g)
    if not times:
        continue
    lines.append(f"### {titles[g]}\n")
    lines.append(f"load average (1/5/15 min) before: {loads.get(g, {}).get('load_before', '?')}, "
                 f"after: {loads.get(g, {}).get('load_after', '?')}\n")
    base = statistics.median(times["check_dummy"]) if "check_dummy" in times else None
    lines.append("| command | runs | median ms | min ms | max ms | x check_dummy | CPU ms (user+sys, mean) | peak RSS MiB (median of 5) |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, t in times.items():
        m = statistics.median(t)
        med[(g, label)] = m
        rss = memory.get((g, label))
        rss_mib = statistics.median(rss) / 1024 if rss else None
        med[(g, label, "rss")] = rss_mib
        ratio = f"{m / base:.2f}" if base else ""
        c = statistics.mean(cpu[(g, label)])
        med[(g, label, "cpu")] = c
        rss_text = f"{rss_mib:.1f}" if rss_mib is not None else ""
        lines.append(f"| {label} | {len(t)} | {ms(m):.2f} | {ms(min(t)):.2f} | {ms(max(t)):.2f} | {ratio} | {ms(c):.2f} | {rss_text} |")
    lines.append("")

targets = []


def target(what, measured, ok):
    targets.append((what, measured, "met" if ok else "**missed**"))


def get(*k):
    return med.get(k)


for g, label in (("running", "check_duplicity_running"), ("freshness", "check_duplicity_freshness"),
                 ("log", "check_duplicity_log")):
    m, d = get(g, label), get(g, "check_dummy")
    if m and d:
        target(f"{label} (typical input) <= 4x check_dummy", f"{m / d:.2f}x ({ms(m):.2f} / {ms(d):.2f} ms)", m / d <= 4)
    r = get(g, label, "rss")
    if r is not None:
        target(f"{label} peak memory <= 20 MiB", f"{r:.1f} MiB", r <= 20)
m, c = get("running", "check_duplicity_running"), get("running", "check_procs")
if m and c:
    target("check_duplicity_running <= 0.7x check_procs", f"{m / c:.2f}x ({ms(m):.2f} / {ms(c):.2f} ms)", m / c <= 0.7)
m, c = get("freshness", "check_duplicity_freshness"), get("freshness", "check_file_age")
if m and c:
    target("freshness --archive-dir <= 0.3x check_file_age", f"{m / c:.2f}x ({ms(m):.2f} / {ms(c):.2f} ms)", m / c <= 0.3)
m, c = get("collection_status", "check_duplicity_freshness"), get("collection_status", "duplicity_collection_status")
if m and c:
    target("freshness --archive-dir >= 30x faster than duplicity collection-status",
           f"{c / m:.0f}x ({ms(m):.2f} / {ms(c):.0f} ms)", c / m >= 30)
m, listed = get("archive_dir", "100000 files"), get("archive_dir", "100000 files listed")
if m:
    also = f"; listed on every run (--listing-cache off): {ms(listed):.1f} ms" if listed else ""
    target("archive dir of 100,000 files <= 50 ms (whole process)", f"{ms(m):.1f} ms from the listing cache{also}", ms(m) <= 50)
for g, what in (("status_text", "text"), ("status_machine", "machine log")):
    m = get(g, "10000 sets")
    if m:
        target(f"10,000 sets of collection-status ({what}) <= 20 ms (whole process)", f"{ms(m):.1f} ms", ms(m) <= 20)
m = get("log_scope_new_first", "1 GiB")
if m:
    rate = log1g / m / 1e6
    target("log first scan >= 500 MB/s (1 GiB, page cache, whole process)", f"{rate:.0f} MB/s ({m:.2f} s)", rate >= 500)
a0, a1, a10 = get("log_scope_new_appended", "1 GiB + 0"), get("log_scope_new_appended", "1 GiB + 1 MB"), \
    get("log_scope_new_appended", "1 GiB + 10 MB")
s0, s1 = get("log_scope_new_appended", "10 MB + 0"), get("log_scope_new_appended", "10 MB + 1 MB")
if a0 and a1 and a10 and s1:
    per_mb_1 = (a1 - a0) / 1.0
    per_mb_10 = (a10 - a0) / 10.0
    same_as_small = abs(a1 - s1) <= max(0.25 * s1, 0.002)
    target("--scope new costs in proportion to the appended bytes",
           f"+{ms(a1 - a0):.2f} ms for 1 MB, +{ms(a10 - a0):.2f} ms for 10 MB appended to 1 GiB "
           f"({ms(per_mb_1):.2f} vs {ms(per_mb_10):.2f} ms/MB); 1 MB appended to 10 MB: {ms(s1):.2f} ms, to 1 GiB: {ms(a1):.2f} ms",
           same_as_small and per_mb_10 <= max(2 * per_mb_1, per_mb_1 + 0.001))
r_small, r_big = get("log_last_run", "10 MB", "rss"), get("log_last_run", "1 GiB", "rss")
n_small, n_big = get("log_scope_new_first", "10 MB", "rss"), get("log_scope_new_first", "1 GiB", "rss")
if r_small and r_big and n_small and n_big:
    target("log memory does not grow with the log's size (10 MB -> 1 GiB)",
           f"last-run {r_small:.1f} -> {r_big:.1f} MiB; scope new first scan {n_small:.1f} -> {n_big:.1f} MiB",
           r_big - r_small <= 2 and n_big - n_small <= 2)

pairs = []
for g in ("before_after", "before_after_log_first"):
    for (gg, label, *rest), v in list(med.items()):
        if gg != g or rest or not label.endswith(", before"):
            continue
        what = label[: -len(", before")]
        after = med.get((g, what + ", after"))
        if after:
            pairs.append((what, v, after, med.get((g, label, "cpu")), med.get((g, what + ", after", "cpu")),
                          med.get((g, label, "rss")), med.get((g, what + ", after", "rss"))))

# The default build (dynamic PIE) and the opt-in static build, measured in the same groups (run.sh --static).
builds = []
for g, label, other in (("running", "check_duplicity_running", "check_procs"),
                        ("freshness", "check_duplicity_freshness", "check_file_age"),
                        ("log", "check_duplicity_log", "check_log")):
    d, st, dummy, o = get(g, label), get(g, label + " (static)"), get(g, "check_dummy"), get(g, other)
    if d and st and dummy and o:
        builds.append((label, other, d, st, dummy, o, get(g, label, "rss"), get(g, label + " (static)", "rss")))

with open(os.path.join(out, "machine.txt")) as f:
    machine = f.read().strip()
print("## Targets\n")
print("| target | measured (median) | |")
print("| --- | --- | --- |")
for t in targets:
    print(f"| {t[0]} | {t[1]} | {t[2]} |")
if pairs:
    print("\n## Before and after (same run, interleaved)\n")
    print("| input | before ms | after ms | after/before | CPU before ms | CPU after ms | RSS before MiB | RSS after MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for what, b, a, cb, ca, rb, ra in pairs:
        print(f"| {what} | {ms(b):.2f} | {ms(a):.2f} | {a / b:.2f} | {ms(cb):.2f} | {ms(ca):.2f} | "
              f"{(rb or 0):.1f} | {(ra or 0):.1f} |")
if builds:
    print("\n## Default and static build (same groups, interleaved)\n")
    print("| check | default (dynamic PIE) ms | static ms | default / static | default x check_dummy | static x check_dummy "
          "| compared with | default x it | static x it | RSS default / static MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    for label, other, d, st, dummy, o, rd, rs in builds:
        print(f"| {label} | {ms(d):.2f} | {ms(st):.2f} | {d / st:.2f} | {d / dummy:.2f} | {st / dummy:.2f} | {other} "
              f"({ms(o):.2f} ms) | {d / o:.2f} | {st / o:.2f} | {(rd or 0):.1f} / {(rs or 0):.1f} |")
print("\n## Machine\n\n```\n" + machine + "\n```\n")
print("## Groups\n")
print("\n".join(lines))
outputs = os.path.join(out, "outputs.txt")
if os.path.exists(outputs):
    print("## What the checks printed (first line)\n\n```\n" + open(outputs).read().rstrip() + "\n```")
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump({"targets": targets, "medians_ms": {f"{k[0]}/{k[1]}": ms(v) for k, v in med.items() if len(k) == 2}}, f, indent=1)
