using DuplicityChecks.Checks.Running;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Tests.Running;

/// <summary>
/// The evaluation of check_duplicity_running: a table of scans with the state, summary and perfdata, and the whole
/// output (tree, hints) of the main cases rendered exactly as the plugin prints it.
/// </summary>
public class RunningEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 23, 45, 0, TimeSpan.Zero);
    /// <summary>The one place these tests build options.</summary>
    private static RunningOptions Options(params string[] args)
        => RunningOptions.From(CommandLine.Parse(args, RunningOptions.Specs));

    private static CheckResult Evaluate(DuplicityProcessScan scan, params string[] args) => new RunningEvaluator(Options(args), Now).Evaluate(scan);

    private static DuplicityProcess Run(int pid, TimeSpan age, string args, LockStatus? lockStatus = null, TerminalInputWait? waiting = null, IReadOnlyList<ProcessEntry>? children = null, string user = "govuk-backup")
    {
        var argv = ("/usr/bin/python3 /usr/bin/duplicity " + args).Split(' ');
        var entry = new ProcessEntry { Pid = pid, ParentPid = 1, Argv = argv, User = user, Uid = 1001, StartUtc = Now - age, State = 'S' };
        var arguments = DuplicityArguments.Parse(argv);
        return new DuplicityProcess(entry, arguments, arguments.ArchiveDir, false, lockStatus ?? new LockStatus(LockState.NotHeld, null), children ?? [], waiting);
    }

    private static DuplicityProcessScan ScanOf(params DuplicityProcess[] runs) => new(runs, "/proc", true, null, null);

    private static string Render(CheckResult result, int verbosity = 0) => PluginOutput.Render("DUPLICITY RUNNING", result, verbosity);

    private static readonly string AssetsArgs = "full --archive-dir /data/backups/.cache/duplicity /srv/assets rsync://backup.example.org/assets";
    private static readonly LockStatus AssetsLock = new(LockState.Holds, "/data/backups/.cache/duplicity/0a1b/lockfile", 4242, 1130499);

    public static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, DuplicityProcessScan scan, string[] args, ServiceState state, string summary, string perfData)
            => new TestCaseData(scan, args, state, summary, perfData).SetArgDisplayNames(name);

        var prompt = Run(50, TimeSpan.FromSeconds(5), "src file:///t", waiting: new TerminalInputWait(51, "gpg", "/dev/pts/3"));
        yield return Case("no process for a job", ScanOf(), ["-j", "assets"], ServiceState.Ok,
            "no duplicity process for job assets", "processes=0;1;;0 elapsed=0s;43200;86400;0");
        yield return Case("a full backup for 13 hours", ScanOf(Run(4242, new TimeSpan(13, 2, 0), AssetsArgs, AssetsLock)), [], ServiceState.Warning,
            "full backup to rsync://backup.example.org/assets running for 13h 2m (PID 4242, holds the lock)", "processes=1;1;;0 elapsed=46920s;43200;86400;0");
        yield return Case("over a day", ScanOf(Run(4242, TimeSpan.FromHours(25), AssetsArgs, AssetsLock)), [], ServiceState.Critical,
            "full backup to rsync://backup.example.org/assets running for 1d 1h (PID 4242, holds the lock)", "processes=1;1;;0 elapsed=90000s;43200;86400;0");
        yield return Case("--waiting-state critical", ScanOf(prompt), ["--waiting-state", "critical"], ServiceState.Critical,
            "backup to file:///t running for 5s (PID 50), waiting for terminal input (GPG passphrase?)", "processes=1;1;;0 elapsed=5s;43200;86400;0");
        yield return Case("--waiting-state ok", ScanOf(prompt), ["--waiting-state", "ok"], ServiceState.Ok,
            "backup to file:///t running for 5s (PID 50), waiting for terminal input (GPG passphrase?)", "processes=1;1;;0 elapsed=5s;43200;86400;0");
        yield return Case("--expect running, none running", ScanOf(), ["--expect", "running", "-d", "rsync://u:pw@h/assets"], ServiceState.Critical,
            "no duplicity process for rsync://u:***@h/assets (expected one running)", "processes=0;1;;0 elapsed=0s;43200;86400;0");
        yield return Case("--expect stopped, one running", ScanOf(Run(7, TimeSpan.FromMinutes(1), "cleanup --force file:///t")), ["--expect", "stopped"], ServiceState.Critical,
            "cleanup of file:///t running for 1m (PID 7) (expected none)", "processes=1;1;;0 elapsed=60s;43200;86400;0");
        yield return Case("count and elapsed thresholds from the options", ScanOf(Run(1, TimeSpan.FromHours(1), "src file:///a"), Run(2, TimeSpan.FromMinutes(1), "src file:///b")),
            ["-w", "~:30m", "-c", "2h", "--count-warning", "none", "--count-critical", "@2:"], ServiceState.Critical,
            "2 duplicity processes, oldest: backup to file:///a running for 1h (PID 1)", "processes=2;;@2:;0 elapsed=3600s;~:1800;7200;0");
        yield return Case("an unknown start time is unknown, not ok", ScanOf(Run(9, TimeSpan.Zero, "src file:///t") is var r ? r with { Process = r.Process with { StartUtc = null } } : null!), [], ServiceState.Unknown,
            "backup to file:///t running for an unknown time (PID 9)", "processes=1;1;;0 elapsed=U;43200;86400;0");
        yield return Case("the lockfile held by a process that is not a matching duplicity", new DuplicityProcessScan([], "/proc", true, "/var/cache/duplicity/abc/lockfile", 777), ["-j", "assets"], ServiceState.Warning,
            "no duplicity process for job assets, but PID 777 holds its lockfile", "processes=0;1;;0 elapsed=0s;43200;86400;0");
    }

    [TestCaseSource(nameof(Cases))]
    public void Evaluates(DuplicityProcessScan scan, string[] args, ServiceState state, string summary, string perfData)
    {
        var result = Evaluate(scan, args);

        result.State.Should().Be(state, result.Summary);
        result.Summary.Should().Be(summary);
        string.Join(' ', result.PerfData).Should().Be(perfData);
    }

    [Test]
    public void A_prompt_in_a_child_names_the_child()
        => Render(Evaluate(ScanOf(Run(50, TimeSpan.FromSeconds(5), "src file:///t", waiting: new TerminalInputWait(51, "gpg", "/dev/pts/3"))), "--waiting-state", "ok"), 1)
            .Should().Contain("\\_ [OK] waiting for terminal input (GPG passphrase?) on /dev/pts/3 (its child gpg, PID 51)");

    [Test]
    public void A_full_backup_running_for_13_hours_is_a_warning()
    {
        var result = Evaluate(ScanOf(Run(4242, new TimeSpan(13, 2, 0), AssetsArgs, AssetsLock)));

        result.State.Should().Be(ServiceState.Warning);
        Render(result).Should().Be(
            "DUPLICITY RUNNING WARNING - full backup to rsync://backup.example.org/assets running for 13h 2m (PID 4242, holds the lock)\n"
            + "\\_ [WARNING] PID 4242 (user govuk-backup): full backup to rsync://backup.example.org/assets, started 2026-11-26 10:43:00 UTC\n"
            + "  \\_ [WARNING] running for 13h 2m (warning above 12h)\n"
            + "Fix: a long run: look at the job's log for progress (volumes uploaded, retries); if PID 4242 is stuck, stop it with 'kill 4242' and rerun the job (duplicity resumes an interrupted backup)\n"
            + "| processes=1;1;;0 elapsed=46920s;43200;86400;0");
    }

    [Test]
    public void Verbose_output_lists_every_detail_of_the_run()
    {
        var gpg = new ProcessEntry { Pid = 4250, ParentPid = 4242, Argv = ["/usr/bin/gpg", "--symmetric"], Comm = "gpg" };
        var result = Evaluate(ScanOf(Run(4242, TimeSpan.FromMinutes(5), AssetsArgs, AssetsLock, children: [gpg])));

        Render(result, 1).Should().Be(
            "DUPLICITY RUNNING OK - full backup to rsync://backup.example.org/assets running for 5m (PID 4242, holds the lock)\n"
            + "\\_ [OK] 1 duplicity process\n"
            + "\\_ [OK] PID 4242 (user govuk-backup): full backup to rsync://backup.example.org/assets, started 2026-11-26 23:40:00 UTC\n"
            + "  \\_ [OK] running for 5m\n"
            + "  \\_ [OK] action full, target rsync://backup.example.org/assets\n"
            // printf '%s' rsync://backup.example.org/assets | md5sum
            + "  \\_ [OK] archive dir /data/backups/.cache/duplicity, backup name 37f5b974ed1aa10c160768610dfb59db\n"
            + "  \\_ [OK] children: gpg (PID 4250)\n"
            + "  \\_ [OK] lock: holds the lock /data/backups/.cache/duplicity/0a1b/lockfile\n"
            + "| processes=1;1;;0 elapsed=300s;43200;86400;0");
    }

    [Test]
    public void Two_runs_at_once_are_a_warning_and_the_oldest_leads_the_summary()
    {
        var second = Run(4300, TimeSpan.FromMinutes(2), "/srv/assets rsync://backup.example.org/assets",
            new LockStatus(LockState.HeldByOther, "/data/backups/.cache/duplicity/0a1b/lockfile", 4242));
        var result = Evaluate(ScanOf(Run(4242, TimeSpan.FromHours(1), AssetsArgs, AssetsLock), second));

        Render(result).Should().Be(
            "DUPLICITY RUNNING WARNING - 2 duplicity processes, oldest: full backup to rsync://backup.example.org/assets running for 1h (PID 4242, holds the lock)\n"
            + "\\_ [WARNING] 2 duplicity processes (warning above 1)\n"
            + "\\_ [WARNING] PID 4300 (user govuk-backup): backup to rsync://backup.example.org/assets, started 2026-11-26 23:43:00 UTC\n"
            + "  \\_ [WARNING] lock: /data/backups/.cache/duplicity/0a1b/lockfile is held by PID 4242: this instance is waiting or failing on the lock\n"
            + "Fix: several duplicity runs at once: a cron run started before the last one ended; run the job under 'flock -n' or give it a longer interval\n"
            + "Fix: PID 4300 cannot take the lock held by PID 4242: let PID 4242 finish, or if it is stuck stop it ('kill 4242') before the next run\n"
            + "| processes=2;1;;0 elapsed=3600s;43200;86400;0");
    }

    [Test]
    public void A_run_at_the_passphrase_prompt_is_a_warning_with_the_fix()
    {
        var run = Run(50, TimeSpan.FromSeconds(5), "--archive-dir /var/cache/duplicity /srv/backup/src file:///var/backups/gpg-symmetric",
            new LockStatus(LockState.Holds, "/var/cache/duplicity/be2f/lockfile", 50), new TerminalInputWait(50, "duplicity", "/dev/pts/0"), user: "root");

        var result = Evaluate(ScanOf(run));

        Render(result).Should().Be(
            "DUPLICITY RUNNING WARNING - backup to file:///var/backups/gpg-symmetric running for 5s (PID 50, holds the lock), waiting for terminal input (GPG passphrase?)\n"
            + "\\_ [WARNING] PID 50 (user root): backup to file:///var/backups/gpg-symmetric, started 2026-11-26 23:44:55 UTC\n"
            + "  \\_ [WARNING] waiting for terminal input (GPG passphrase?) on /dev/pts/0\n"
            + "Fix: PID 50 waits for a passphrase on /dev/pts/0: type it there (attach its tmux or screen session), or stop it ('kill 50') and run the job by hand in tmux or screen to type the passphrase; for cron runs give the job its passphrase source (PASSPHRASE in the job's environment)\n"
            + "| processes=1;1;;0 elapsed=5s;43200;86400;0");
    }

    [Test]
    public void Secrets_in_the_target_never_reach_the_output()
    {
        var run = Run(3, TimeSpan.FromMinutes(1), "full /srv sftp://backup:hunter22@host/srv/b");

        Render(Evaluate(ScanOf(run)), 3).Should().NotContain("hunter22").And.Contain("sftp://backup:***@host/srv/b");
    }
}
