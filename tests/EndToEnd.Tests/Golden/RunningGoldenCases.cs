using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The golden runs of check_duplicity_running: every ps capture of every snapshot (each of its forms; only
/// pid,ppid,user,lstart,etimes,args is understood), with and without the snapshot's lock table, every /proc
/// capture and every proc folder rebuilt as a /proc root, each at the verbosities with --now at the capture time;
/// the filters and thresholds the fixture tests use; then the option errors, --help, --version.
/// </summary>
/// <remarks>
/// The captures' lockfiles (/var/cache/duplicity*/.../lockfile) must not exist on the machine: where they do, the
/// lock line compares the recorded inode with the real one.
/// </remarks>
internal static class RunningGoldenCases
{
    public const string Check = Robustness.Checks.Running;

    private const string PsColumns = "ps-eo-pid-ppid-user-lstart-etimes-args.txt";

    public static IEnumerable<GoldenCase> All()
    {
        foreach (var snapshot in GoldenFixtures.PsSnapshots())
        {
            var now = GoldenFixtures.CapturedAt(snapshot);
            foreach (var capture in new[] { PsColumns, "ps-aux.txt", "ps-eo-forest.txt", "ps-eo-pid-ppid-comm-args.txt" })
                foreach (var v in GoldenVerbosity.Levels)
                    yield return GoldenCase.Of(["--ps-file", GoldenInputs.FixtureArg($"{snapshot}/{capture}"), "--now", now, .. v]);
            if (!Directory.Exists(Path.Combine(RepoPaths.Fixtures, snapshot, "proc"))) continue;
            var procRoot = GoldenInputs.DerivedArg(GoldenFixtures.RebuiltProcRoot(snapshot));
            foreach (var v in GoldenVerbosity.Levels) yield return GoldenCase.Of(["--proc-root", procRoot, "--now", now, .. v]);
            // The ps capture with the lock table of the same moment (the rebuilt root's locks).
            if (File.Exists(Path.Combine(RepoPaths.Fixtures, snapshot, "proc-locks.txt")))
                yield return GoldenCase.Of("--ps-file", GoldenInputs.FixtureArg($"{snapshot}/{PsColumns}"), "--proc-root", procRoot, "--now", now, "-v");
        }
        foreach (var snapshot in GoldenFixtures.ProcSnapshots())
        {
            string[] live = ["--proc-root", GoldenInputs.FixtureArg($"{snapshot}/proc"), "--now", GoldenFixtures.CapturedAt(snapshot)];
            foreach (var v in GoldenVerbosity.Levels) yield return GoldenCase.Of([.. live, .. v]);
            foreach (var filter in Filters()) yield return GoldenCase.Of([.. live, .. filter]);
        }
        var mid = GoldenFixtures.PsSnapshots().Last(s => s.EndsWith("03-mid-backup", StringComparison.Ordinal));
        string[] ps = ["--ps-file", GoldenInputs.FixtureArg($"{mid}/{PsColumns}"), "--now", GoldenFixtures.CapturedAt(mid)];
        foreach (var filter in Filters()) yield return GoldenCase.Of([.. ps, .. filter]);
        yield return GoldenCase.Of([.. ps, "-w", "5s", "-c", "1m", "-v"]);
        yield return GoldenCase.Of([.. ps, "-w", "1s", "-c", "5s"]);
        yield return GoldenCase.Of([.. ps, "--count-warning", "0", "--count-critical", "0:0"]);

        foreach (var c in Options(ps)) yield return c;
    }

    /// <summary>Which runs count, as the fixture tests and the options' help name them.</summary>
    private static IEnumerable<string[]> Filters() =>
    [
        ["--expect", "running", "-d", "sftp://backup:s3cr3t@host/srv/b"],
        ["--expect", "stopped"],
        ["--expect", "running"],
        ["-d", "file:///var/backups/gpg-symmetric"],
        ["-d", "file:///var/backups/d310-ps-capture/"],
        ["-A", "/var/cache/duplicity"],
        ["-N", "be2f0a62a0b22981a5dbbe23a653b587"],
        ["-u", "root"],
        ["-u", "0"],
        ["-u", "no-such-user-duplicity-checks"],
        ["-m", "gpg-symmetric|d310"],
        ["-m", "no-such-command-line"],
        ["--waiting-state", "critical"],
        ["--waiting-state", "ok", "-v"],
    ];

    private static IEnumerable<GoldenCase> Options(string[] valid)
    {
        foreach (var c in GoldenVerbosity.CommonOptionCases(valid)) yield return c;
        // Each a valid run with one more option (the value split at spaces): the errors of the check's own options.
        foreach (var c in GoldenVerbosity.WithEach(valid,
            "-m (unclosed", "--expect sometimes", "--waiting-state maybe", "-w abc", "-c 1x", "-w 2h -c 1h", "--count-warning many",
            "--count-critical @2:1"))
            yield return c;
        yield return GoldenCase.Of(["--ps-file", GoldenInputs.FixtureArg("no-such-ps.txt"), "--now", "1795689786"]);
        yield return GoldenCase.Of(["--ps-file", GoldenInputs.FixtureArg("README.md"), "--now", "1795689786"]);
        yield return GoldenCase.Of(["--proc-root", GoldenInputs.FixtureArg("no-such-proc"), "--now", "1795689786"]);
        yield return GoldenCase.Of(["--proc-root", "/nonexistent/proc", "--now", "1795689786"]);
        foreach (var c in GoldenJobs.Cases(Check, "1795689786")) yield return c;
    }
}
