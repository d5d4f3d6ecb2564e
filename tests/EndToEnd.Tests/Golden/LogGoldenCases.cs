using System.Globalization;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The golden runs of check_duplicity_log: every duplicity step of every version in each form it was recorded in
/// (cron-merged output, stdout+stderr joined, the --log-fd machine log) and every cron job's log, with --scope
/// last-run and all, at the verbosities, --now at the step's end; the hints, age and pattern options the fixture
/// tests use; one --scope new sequence with its state file in the input tree; then the option errors, --help,
/// --version.
/// </summary>
internal static class LogGoldenCases
{
    public const string Check = Robustness.Checks.Log;

    private const string Eof = "duplicity-0.8.22/gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt";
    private const string Inc = "duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1";

    public static IEnumerable<GoldenCase> All()
    {
        foreach (var step in GoldenFixtures.DuplicitySteps())
        {
            var now = step.EndEpoch.ToString(CultureInfo.InvariantCulture);
            var logs = new List<string>();
            if (step.Has("output-merged.txt")) logs.Add(GoldenInputs.FixtureArg($"{step.Relative}/output-merged.txt"));
            if (step.Has("stdout.txt") && step.Has("stderr.txt")) logs.Add(GoldenInputs.DerivedArg(GoldenFixtures.JoinedLog(step.Relative)));
            if (step.Has("log-fd3.txt")) logs.Add(GoldenInputs.FixtureArg($"{step.Relative}/log-fd3.txt"));
            foreach (var log in logs)
                foreach (var c in Scopes(log, now)) yield return c;
        }
        foreach (var log in GoldenFixtures.CronLogs())
            foreach (var c in Scopes(GoldenInputs.FixtureArg(log), "1795690000")) yield return c;

        foreach (var c in Hints()) yield return c;
        yield return ScopeNew();
        foreach (var c in Options()) yield return c;
    }

    private static IEnumerable<GoldenCase> Scopes(string log, string now)
    {
        foreach (var scope in new[] { "last-run", "all" })
            foreach (var v in GoldenVerbosity.Levels)
                yield return GoldenCase.Of(["-l", log, "--now", now, .. scope == "last-run" ? [] : new[] { "--scope", scope }, .. v]);
    }

    /// <summary>The runs of the end-to-end log tests that add options to a fixture log.</summary>
    private static IEnumerable<GoldenCase> Hints()
    {
        string eof = GoldenInputs.FixtureArg(Eof), inc = GoldenInputs.FixtureArg($"{Inc}/stdout.txt");
        yield return GoldenCase.Of("-l", eof, "--now", "1795690000", "-u", "govuk-backup", "--script", "/var/spool/duplicity/assets.sh",
            "-d", "rsync://govuk-backup@backup.example.org:/srv/backups/assets");
        yield return GoldenCase.Of("-l", eof, "--now", "1795690000", "-u", "backup", "-A", "/var/cache/duplicity", "-N", "assets", "-d", "sftp://u:pw@host/b", "-v");
        yield return GoldenCase.Of("-l", GoldenInputs.FixtureArg("duplicity-3.1.0/orphaned-backup-files/08-backup-next-run-with-orphans/stdout.txt"),
            "--now", "1795690000", "-u", "backup", "-d", "file:///var/backups/d310-orphans");
        yield return GoldenCase.Of("-l", inc, "--now", "1795887959", "--age-warning", "26h", "--age-critical", "2d");
        yield return GoldenCase.Of("-l", inc, "--now", "1795887959", "--age-warning", "off", "--age-critical", "3d");
        yield return GoldenCase.Of("-l", inc, "--now", "1795690000", "--log-critical", "Errors 0", "-v");
        yield return GoldenCase.Of("-l", inc, "--now", "1795690000", "--log-warning", "^Local and Remote", "--log-warning", "NewFiles", "-v");
        yield return GoldenCase.Of("-l", eof, "--now", "1795690000", "--log-ignore", "EOFError", "--log-ignore", "passphrase", "-v");
        yield return GoldenCase.Of("-l", eof, "--now", "1795690000", "--unfinished-state", "critical");
        yield return GoldenCase.Of("-l", GoldenInputs.FixtureArg("no-such.log"), "--now", "1795690000");
        yield return GoldenCase.Of("-l", GoldenInputs.FixtureArg("no-such.log"), "--now", "1795690000", "--missing-state", "critical");
        yield return GoldenCase.Of("-l", GoldenInputs.FixtureArg("no-such.log"), "--now", "1795690000", "--missing-state", "ok", "-v");
    }

    /// <summary>
    /// --scope new over a log that grows: the first check reads it all, the second finds nothing new, the third the
    /// run appended in between (one state file in the input tree, default verbosity: -vvv shows the inode).
    /// </summary>
    private static GoldenCase ScopeNew()
    {
        string log = $"{GoldenInputs.Placeholder}/state/backup.log", state = $"{GoldenInputs.Placeholder}/state/log.state";
        string[] args = ["-l", log, "--scope", "new", "--state-file", state, "--now", "1795690000"];
        return new GoldenCase(
        [
            new GoldenStep(args, root => Write(root, append: false, File.ReadAllText(Path.Combine(root, "fixtures", Eof)))),
            new GoldenStep(args),
            new GoldenStep([.. args, "-v"], root => Write(root, append: true, File.ReadAllText(Path.Combine(root, "fixtures", Inc, "stdout.txt")))),
            new GoldenStep(args),
        ]);
    }

    // The mtime is the input tree's: a log without statistics takes its age from it.
    private static void Write(string root, bool append, string text)
    {
        var log = Path.Combine(root, "state", "backup.log");
        if (append) File.AppendAllText(log, text);
        else File.WriteAllText(log, text);
        File.SetLastWriteTimeUtc(log, GoldenInputs.FixedMtime);
    }

    private static IEnumerable<GoldenCase> Options()
    {
        var inc = GoldenInputs.FixtureArg($"{Inc}/log-fd3.txt");
        string[] valid = ["-l", inc, "--now", "1795690000"];
        foreach (var c in GoldenVerbosity.CommonOptionCases(valid)) yield return c;
        // Each a valid run with one more option (the value split at spaces): the errors of the check's own options.
        foreach (var c in GoldenVerbosity.WithEach(valid,
            "--scope sometimes", "--age-warning soon", "--age-critical 2x", "--age-warning 2d --age-critical 1d", "--missing-state maybe",
            "--unfinished-state unknown", "--log-critical (unclosed", "--log-warning [z-a"))
            yield return c;
        yield return GoldenCase.Of([]);
        yield return GoldenCase.Of(["-l", GoldenInputs.FixtureArg("duplicity-0.8.22"), "--now", "1795690000"]);
        foreach (var c in GoldenJobs.Cases(Check, "1795690000")) yield return c;
    }
}
