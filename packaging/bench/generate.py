#!/usr/bin/env python3
"""Generates the benchmark inputs from real duplicity output, in a work directory.

Usage: generate.py FIXTURES WORKDIR REAL_CACHE

  FIXTURES    ../shared/fixtures (recorded duplicity 0.8.22 output)
  WORKDIR     where the inputs go (a temp dir; a few GiB free for the 1 GiB log)
  REAL_CACHE  the archive-dir folder of a real duplicity backup made by run.sh (its manifests are copied)

Everything is built from recorded or real content, repeated and re-dated, so the parsers see what duplicity
writes: archive dirs of 100 / 10,000 / 100,000 files (weekly fulls, daily incrementals: a manifest and a
signature file per set), collection-status text and machine (--log-fd) output with 10 / 1,000 / 10,000 sets,
and cron logs of 10 MB and 1 GiB (fixture runs repeated in a 4 MiB block; the last run succeeded).
Prints the facts run.sh needs (shell variable assignments). GEN_ONLY_SMALL=1 skips the logs (quick inputs for
profiling the archive-dir and collection-status paths).
"""
import os
import sys
import time

FIXTURES, WORK, REAL_CACHE = sys.argv[1], sys.argv[2], sys.argv[3]
V = os.path.join(FIXTURES, "duplicity-0.8.22")
# The newest set ends here; the checks are evaluated 3 hours later (--now).
NEWEST = 1795687953  # Thu Nov 26 10:12:33 2026 UTC, a recorded full backup's time
NOW = NEWEST + 3 * 3600
DAY = 86400
SETS_PER_CHAIN = 7  # a full every 7 days (--full-if-older-than 7D), daily incrementals


def read(rel):
    with open(os.path.join(V, rel), encoding="utf-8") as f:
        return f.read()


def stamp(t):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(t))


def asctime(t):
    return time.asctime(time.gmtime(t))


def chains_of(sets):
    """Set times (oldest first) cut into chains of SETS_PER_CHAIN; the oldest chain takes the remainder."""
    # Daily while that stays after 2000; more sets are closer together (hourly backups and the like).
    step = min(DAY, (NEWEST - 946684800) // sets)
    times = [NEWEST - (sets - 1 - i) * step for i in range(sets)]
    size = sets % SETS_PER_CHAIN or SETS_PER_CHAIN
    chains = [times[:size]]
    for i in range(size, sets, SETS_PER_CHAIN):
        chains.append(times[i:i + SETS_PER_CHAIN])
    return chains


def manifests(real_cache):
    full = inc = None
    for name in sorted(os.listdir(real_cache)):
        if name.endswith(".manifest"):
            with open(os.path.join(real_cache, name), "rb") as f:
                data = f.read()
            if name.startswith("duplicity-full."):
                full = full or data
            elif name.startswith("duplicity-inc."):
                inc = inc or data
    if full is None or inc is None:
        sys.exit(f"generate: {real_cache} has no full and incremental manifest")
    return full, inc


def archive_dir(files, full_manifest, inc_manifest):
    """A cache folder with `files` files: per set a manifest and a signature file."""
    path = os.path.join(WORK, f"archive-{files}")
    os.makedirs(path, exist_ok=True)
    for chain in chains_of(files // 2):
        start = chain[0]
        with open(os.path.join(path, f"duplicity-full.{stamp(start)}.manifest"), "wb") as f:
            f.write(full_manifest)
        open(os.path.join(path, f"duplicity-full-signatures.{stamp(start)}.sigtar.gz"), "wb").close()
        prev = start
        for t in chain[1:]:
            with open(os.path.join(path, f"duplicity-inc.{stamp(prev)}.to.{stamp(t)}.manifest"), "wb") as f:
                f.write(inc_manifest)
            open(os.path.join(path, f"duplicity-new-signatures.{stamp(prev)}.to.{stamp(t)}.sigtar.gz"), "wb").close()
            prev = t
    return path


def status_text(sets):
    """collection-status as duplicity 0.8.22 prints it (TZ=UTC): secondary chains, then the primary."""
    chains = chains_of(sets)
    out = [f"Last full backup date: {asctime(chains[-1][0])}", "Collection Status", "-----------------",
           "Connecting with backend: BackendWrapper",
           "Archive dir: /var/cache/duplicity/8a6149337754bfdeeaac7be6d449d8c8", ""]
    secondary = chains[:-1]

    def block(chain):
        rows = [f"Chain start time: {asctime(chain[0])}", f"Chain end time: {asctime(chain[-1])}",
                f"Number of contained backup sets: {len(chain)}",
                f"Total number of contained volumes: {3 + len(chain) - 1}",
                " Type of backup set:                            Time:      Num volumes:"]
        for i, t in enumerate(chain):
            kind, vols = ("Full", 3) if i == 0 else ("Incremental", 1)
            rows.append(f"{kind:>20}         {asctime(t)}{vols:>18}")
        return rows

    if secondary:
        out.append(f"Found {len(secondary)} secondary backup chain{'s' if len(secondary) > 1 else ''}.")
        for n, chain in enumerate(secondary, 1):
            out += [f"Secondary chain {n} of {len(secondary)}:", "-------------------------"]
            out += block(chain)
            out += ["-------------------------", ""]
        out.append("")
    else:
        out += ["Found 0 secondary backup chains.", ""]
    out += ["Found primary backup chain with matching signature chain:", "-------------------------"]
    out += block(chains[-1])
    out += ["-------------------------", "No orphaned or incomplete backup sets found."]
    return chains, out


def machine_status(sets):
    """collection-status --log-fd output: the machine block, then the text with '. ' prefixes."""
    chains, text = status_text(sets)
    out = ["NOTICE 1", f". {text[0]}", "", "INFO 3 ", "backend BackendWrapper", "archive-dir (. dir)"]
    for n, chain in enumerate(chains[:-1]):
        out.append(f"chain-no-sig {n}")
        out += [f" {'full' if i == 0 else 'inc'} {stamp(t)} {3 if i == 0 else 1} noenc" for i, t in enumerate(chain)]
    out.append("chain-complete")
    out += [f" {'full' if i == 0 else 'inc'} {stamp(t)} {3 if i == 0 else 1} noenc" for i, t in enumerate(chains[-1])]
    out += ["orphaned-sets-num 0", "incomplete-sets-num 0"]
    out += [(". " + line) if line else ". " for line in text[1:]]
    return out


def write_lines(name, lines):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n")
    return path


def log(size, name):
    """A cron log of `size` bytes: recorded runs (failures and successes) repeated; the last run succeeded."""
    success = read("full-plus-incrementals/02-backup-inc-1/stdout.txt")
    orphans = read("orphaned-backup-files/08-backup-next-run-with-orphans/stdout.txt")
    eof = read("gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt")
    unit = eof + orphans + success + success
    block = (unit * (4 * 1024 * 1024 // len(unit) + 1)).encode()
    tail = (success * (64 * 1024 // len(success) + 1)).encode()
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        written = 0
        while written + len(block) + len(tail) <= size:
            f.write(block)
            written += len(block)
        rest = size - written - len(tail)
        if rest > 0:
            # Whole runs only, so the file ends at a run boundary.
            whole = (unit * (rest // len(unit))).encode()
            f.write(whole)
        f.write(tail)
    return path


def appended(size):
    """What a day of runs appends to a log: successes, then a failure."""
    success = read("full-plus-incrementals/02-backup-inc-1/stdout.txt")
    eof = read("gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt")
    path = os.path.join(WORK, f"append-{size}.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(success * max(1, (size - len(eof)) // len(success)) + eof)
    return path


def main():
    os.makedirs(WORK, exist_ok=True)
    full_manifest, inc_manifest = manifests(REAL_CACHE)
    facts = {"NOW": NOW}
    for files in (100, 10_000, 100_000):
        facts[f"ARCHIVE_{files}"] = archive_dir(files, full_manifest, inc_manifest)
    for sets in (10, 1000, 10_000):
        facts[f"STATUS_TEXT_{sets}"] = write_lines(f"status-text-{sets}.txt", status_text(sets)[1])
        facts[f"STATUS_MACHINE_{sets}"] = write_lines(f"status-machine-{sets}.log", machine_status(sets))
    if os.environ.get("GEN_ONLY_SMALL"): return print_facts(facts)
    facts["LOG_10M"] = log(10 * 1000 * 1000, "log-10M.log")
    facts["LOG_1G"] = log(1 << 30, "log-1G.log")
    for size in (100_000, 1_000_000, 10_000_000):
        facts[f"APPEND_{size}"] = appended(size)
    print_facts(facts)


def print_facts(facts):
    for k, v in facts.items():
        print(f"{k}={v}")


main()
