using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Running;

/// <summary>
/// The published check_duplicity_running against the process captures (--proc-root, --ps-file, --now at the
/// capture time): exact first line, empty stderr, exit code.
/// </summary>
[Category("EndToEnd")]
public class RunningFixtureEndToEndTests
{
    private const string Check = "check_duplicity_running";

    private static string Live(string snapshot) => Path.Combine(RepoPaths.Fixtures, "duplicity-0.8.22", "proc-live-backup-and-passphrase-wait", snapshot);

    private static string Ps(string snapshot) => Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "ps-during-backup", "snapshots", snapshot);

    private static string Now(string dir) => File.ReadAllText(Path.Combine(dir, "captured_at_epoch_utc.txt")).Trim();

    private static ProcessOutcome Run(params string[] args)
        // lstart in a ps capture is local time: the captures were taken in UTC.
        => ProcessRun.Run(RepoPaths.Executable(Check), args, new Dictionary<string, string?> { ["TZ"] = "UTC" });

    private static ProcessOutcome RunLive(string snapshot, params string[] more)
        => Run([.. new[] { "--proc-root", Path.Combine(Live(snapshot), "proc"), "--now", Now(Live(snapshot)) }, .. more]);

    private static void Expect(ProcessOutcome outcome, string firstLine, int exitCode)
    {
        outcome.FirstLine.Should().Be(firstLine);
        outcome.Stderr.Should().BeEmpty();
        outcome.ExitCode.Should().Be(exitCode);
    }

    [Test]
    public void A_running_backup_with_its_lock()
        // The lockfile of the capture does not exist on this machine, so the inode is not compared: "holds a lock".
        => Expect(RunLive("live-backup-running"),
            "DUPLICITY RUNNING OK - backup to file:///var/backups/live-proc running for 4s (PID 4, holds a lock) | processes=1;1;;0 elapsed=3.91s;43200;86400;0", 0);

    [Test]
    public void A_backup_at_the_passphrase_prompt_is_a_warning()
    {
        var outcome = RunLive("passphrase-wait");

        Expect(outcome, "DUPLICITY RUNNING WARNING - backup to file:///var/backups/gpg-symmetric running for 5s (PID 50, holds a lock), waiting for terminal input (GPG passphrase?)", 1);
        outcome.Stdout.Should().Contain("\\_ [WARNING] waiting for terminal input (GPG passphrase?) on /dev/pts/0\n");
        outcome.Stdout.Should().EndWith("| processes=1;1;;0 elapsed=5.35s;43200;86400;0\n");
    }

    [Test]
    public void After_the_backup_nothing_runs()
        => Expect(RunLive("live-backup-finished"), "DUPLICITY RUNNING OK - no duplicity process | processes=0;1;;0 elapsed=0s;43200;86400;0", 0);

    [Test]
    public void Expect_running_in_a_backup_window_without_a_backup_is_critical_and_masks_the_password()
    {
        var outcome = RunLive("live-backup-finished", "--expect", "running", "-d", "sftp://backup:s3cr3t@host/srv/b");

        Expect(outcome, "DUPLICITY RUNNING CRITICAL - no duplicity process for sftp://backup:***@host/srv/b (expected one running)", 2);
        outcome.Stdout.Should().Be("DUPLICITY RUNNING CRITICAL - no duplicity process for sftp://backup:***@host/srv/b (expected one running)\n"
            + "\\_ [CRITICAL] 0 duplicity processes (expected one running)\n"
            + "| processes=0;1;;0 elapsed=0s;43200;86400;0\n");
        outcome.Stdout.Should().NotContain("s3cr3t");
    }

    [Test]
    public void A_user_name_unknown_to_the_user_database_is_unknown_not_an_ok_without_processes()
        // The capture's backup runs as root; a name the user database does not hold matches no process: not an OK.
        => Expect(RunLive("live-backup-running", "-u", "no-such-user-duplicity-checks"),
            "DUPLICITY RUNNING UNKNOWN - --user no-such-user-duplicity-checks: no such user in the user database (NSS)", 3);

    [Test]
    public void A_ps_capture_mid_backup()
        => Expect(Run("--ps-file", Path.Combine(Ps("03-mid-backup"), "ps-eo-pid-ppid-user-lstart-etimes-args.txt"), "--now", Now(Ps("03-mid-backup"))),
            "DUPLICITY RUNNING OK - backup to file:///var/backups/d310-ps-capture running for 6s (PID 1574) | processes=1;1;;0 elapsed=6s;43200;86400;0", 0);

    [Test]
    public void A_ps_capture_over_the_warning_threshold()
    {
        var outcome = Run("--ps-file", Path.Combine(Ps("03-mid-backup"), "ps-eo-pid-ppid-user-lstart-etimes-args.txt"), "--now", Now(Ps("03-mid-backup")), "-w", "5s", "-c", "1m", "-v");

        Expect(outcome, "DUPLICITY RUNNING WARNING - backup to file:///var/backups/d310-ps-capture running for 6s (PID 1574)", 1);
        outcome.Stdout.Should().Contain("  \\_ [OK] children: gpg (PID 1735)\n");
        outcome.Stdout.Should().EndWith("| processes=1;1;;0 elapsed=6s;5;60;0\n");
    }

    [Test]
    public void Ps_aux_instead_of_the_expected_columns_is_unknown()
    {
        var path = Path.Combine(Ps("01-duplicity-started-holds-lock"), "ps-aux.txt");

        Expect(Run("--ps-file", path), $"DUPLICITY RUNNING UNKNOWN - ps capture {path} line 1 is not 'ps -eo pid,ppid,user,lstart,etimes,args' output: 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND'", 3);
    }

    [Test]
    public void A_bad_match_pattern_is_a_usage_error()
    {
        var outcome = Run("-m", "(unclosed");

        outcome.FirstLine.Should().StartWith("DUPLICITY RUNNING UNKNOWN - usage error: --match: '(unclosed' is not a valid regular expression");
        outcome.Stdout.Should().Contain("\nUsage: check_duplicity_running ");
        outcome.Stderr.Should().BeEmpty();
        outcome.ExitCode.Should().Be(3);
    }

    [Test]
    public void A_missing_proc_root_is_unknown()
        => Expect(Run("--proc-root", "/nonexistent/proc"), "DUPLICITY RUNNING UNKNOWN - cannot list the process table /nonexistent/proc: no such file or directory", 3);

    [Test]
    public void The_live_machine_is_read_without_error()
    {
        // Whatever runs here: a valid status line, nothing on stderr, never a crash.
        var outcome = Run();

        outcome.FirstLine.Should().MatchRegex(@"^DUPLICITY RUNNING (OK|WARNING|CRITICAL) - ");
        outcome.Stderr.Should().BeEmpty();
    }

    [Test]
    public void Help_lists_every_option_of_the_issue()
    {
        var outcome = Run("--help");

        foreach (var option in new[] { "-j, --job", "--config", "-d, --destination", "-A, --archive-dir", "-N, --name", "-u, --user", "-m, --match", "--proc-root", "--ps-file", "--waiting-state", "-w, --warning", "-c, --critical", "--count-warning", "--count-critical", "--expect" })
            outcome.Stdout.Should().Contain(option);
        outcome.ExitCode.Should().Be(3);
    }
}
