using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Golden;

/// <summary>
/// The job file of the golden runs: the checks use a job file only in a folder nobody else can write, and /tmp is
/// not one, so it lies in <see cref="TrustedFolder"/> (its root is <see cref="Placeholder"/> in arguments and
/// output). Its jobs point at the fixtures of the input tree; each check runs them alone and with options that win.
/// </summary>
internal static class GoldenJobs
{
    public const string Placeholder = "<jobs>";

    public const string Config = Placeholder + "/jobs.ini";

    private const string Inc = "fixtures/duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1";
    private const string Status = "fixtures/duplicity-0.8.22/full-plus-incrementals/06-collection-status-logfd";
    private const string Eof = "fixtures/duplicity-0.8.22/gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt";

    public static string CreateRoot()
        => Directory.CreateDirectory(Path.Combine(TrustedFolder.Path, "golden-" + Guid.NewGuid().ToString("N")[..12]),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;

    /// <summary>jobs.ini, with the input tree's paths as the checks will see them.</summary>
    public static string Text(string inputs) => $"""
        ; the golden run's jobs (GoldenJobs.cs)
        [job:nightly]
        destination   = file:///var/backups/chain
        archive_dir   = {inputs}/derived/{Status[("fixtures/".Length)..]}/ls-var_cache_duplicity_a75278f091479b6a9f96d30bdec7c932
        name          = a75278f091479b6a9f96d30bdec7c932
        user          = backup
        script        = /usr/local/bin/nightly-backup.sh
        log           = {inputs}/{Inc}/stdout.txt
        warning       = 2d
        critical      = 3d
        full_warning  = 8d
        log_age_warning  = 1d
        log_age_critical = 2d
        listing_cache = off

        [job:status]
        status_file   = {inputs}/{Status}/log-fd3.txt
        warning       = 1h
        critical      = 2h
        incomplete_state = critical
        orphaned_state   = ok
        log           = {inputs}/{Eof}
        log_scope     = all
        log_missing_state = critical
        log_critical  = Traceback
        log_ignore    = GetPassWarning

        [job:secret]
        destination   = sftp://backup:s3cr3t@backup.example.org/srv/b
        user          = backup
        log           = {inputs}/{Eof}

        [job:bad]
        warning       = soon
        log_scope     = sometimes
        incomplete_state = maybe

        [job:empty]

        """;

    /// <summary>The runs of <paramref name="check"/> with the jobs; <paramref name="now"/> keeps them off the clock.</summary>
    public static IEnumerable<GoldenCase> Cases(string check, string now)
    {
        string[] common = ["--config", Config, "--now", now];
        IEnumerable<string[]> runs = check switch
        {
            FreshnessGoldenCases.Check =>
            [
                ["-j", "nightly", "--proc-root", GoldenInputs.DerivedArg("empty-proc")],
                ["-j", "nightly", "--proc-root", GoldenInputs.DerivedArg("empty-proc"), "-w", "1h", "-v"],
                ["-j", "status"],
                ["-j", "status", "-w", "26h", "-c", "50h", "-v"],
                ["-j", "secret", "-s", GoldenInputs.FixtureArg($"{Status[("fixtures/".Length)..]}/log-fd3.txt"), "-v"],
                ["-j", "bad", "-s", GoldenInputs.FixtureArg($"{Status[("fixtures/".Length)..]}/log-fd3.txt")],
                ["-j", "empty"],
                ["-j", "no-such-job"],
            ],
            RunningGoldenCases.Check =>
            [
                ["-j", "nightly", "--proc-root", GoldenInputs.FixtureArg("duplicity-0.8.22/proc-live-backup-and-passphrase-wait/passphrase-wait/proc")],
                ["-j", "secret", "--proc-root", GoldenInputs.FixtureArg("duplicity-0.8.22/proc-live-backup-and-passphrase-wait/passphrase-wait/proc"), "--expect", "running", "-v"],
                ["-j", "secret", "--proc-root", GoldenInputs.FixtureArg("duplicity-0.8.22/proc-live-backup-and-passphrase-wait/passphrase-wait/proc"), "-d", "file:///var/backups/gpg-symmetric", "-v"],
                ["-j", "empty", "--proc-root", GoldenInputs.FixtureArg("duplicity-0.8.22/proc-live-backup-and-passphrase-wait/passphrase-wait/proc")],
                ["-j", "no-such-job", "--proc-root", GoldenInputs.DerivedArg("empty-proc")],
            ],
            _ =>
            [
                ["-j", "nightly"],
                ["-j", "nightly", "--age-critical", "off", "-v"],
                ["-j", "status"],
                ["-j", "status", "--scope", "last-run", "-v"],
                ["-j", "secret", "-v"],
                ["-j", "bad"],
                ["-j", "empty"],
                ["-j", "no-such-job"],
            ],
        };
        // A job file below /tmp, missing or not: never trusted (a folder anyone can add a name to).
        string[][] untrusted = [["--config", GoldenInputs.FixtureArg("no-such-config.ini")], ["--config", GoldenInputs.FixtureArg("README.md")]];
        return runs.Select(r => GoldenCase.Of([.. r, .. common]))
            .Concat(untrusted.Select(u => GoldenCase.Of(["-j", "nightly", .. u, "--now", now])));
    }
}
