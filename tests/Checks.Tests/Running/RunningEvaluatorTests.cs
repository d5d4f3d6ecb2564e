using DuplicityChecks.Checks.Running;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Tests.Running;

/// <summary>The evaluation of check_duplicity_running, rendered exactly as the plugin prints it.</summary>
public class RunningEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 23, 45, 0, TimeSpan.Zero);
    private static readonly RunningOptions Defaults = RunningOptions.From(Parse());

    private static ParsedOptions Parse(params string[] args) => CommandLine.Parse(args, RunningOptions.Specs);

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

    [Test]
    public void No_process_for_a_job_is_ok()
    {
        var result = RunningEvaluator.Evaluate(ScanOf(), Defaults with { JobName = "assets" }, Now);

        Render(result).Should().Be("DUPLICITY RUNNING OK - no duplicity process for job assets | processes=0;1;;0 elapsed=0s;43200;86400;0\n");
    }

    [Test]
    public void A_full_backup_running_for_13_hours_is_a_warning()
    {
        var result = RunningEvaluator.Evaluate(ScanOf(Run(4242, new TimeSpan(13, 2, 0), AssetsArgs, AssetsLock)), Defaults, Now);

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
        var result = RunningEvaluator.Evaluate(ScanOf(Run(4242, TimeSpan.FromMinutes(5), AssetsArgs, AssetsLock, children: [gpg])), Defaults, Now);

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
    public void Over_a_day_is_critical()
        => RunningEvaluator.Evaluate(ScanOf(Run(4242, TimeSpan.FromHours(25), AssetsArgs, AssetsLock)), Defaults, Now).State.Should().Be(ServiceState.Critical);

    [Test]
    public void Two_runs_at_once_are_a_warning_and_the_oldest_leads_the_summary()
    {
        var second = Run(4300, TimeSpan.FromMinutes(2), "/srv/assets rsync://backup.example.org/assets",
            new LockStatus(LockState.HeldByOther, "/data/backups/.cache/duplicity/0a1b/lockfile", 4242));
        var result = RunningEvaluator.Evaluate(ScanOf(Run(4242, TimeSpan.FromHours(1), AssetsArgs, AssetsLock), second), Defaults, Now);

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

        var result = RunningEvaluator.Evaluate(ScanOf(run), Defaults, Now);

        Render(result).Should().Be(
            "DUPLICITY RUNNING WARNING - backup to file:///var/backups/gpg-symmetric running for 5s (PID 50, holds the lock), waiting for terminal input (GPG passphrase?)\n"
            + "\\_ [WARNING] PID 50 (user root): backup to file:///var/backups/gpg-symmetric, started 2026-11-26 23:44:55 UTC\n"
            + "  \\_ [WARNING] waiting for terminal input (GPG passphrase?) on /dev/pts/0\n"
            + "Fix: PID 50 waits for a passphrase on /dev/pts/0: type it there (attach its tmux or screen session), or stop it ('kill 50') and run the job by hand in tmux or screen to type the passphrase; for cron runs give the job its passphrase source (PASSPHRASE in the job's environment)\n"
            + "| processes=1;1;;0 elapsed=5s;43200;86400;0");
    }

    [Test]
    public void The_waiting_state_is_configurable()
    {
        var run = Run(50, TimeSpan.FromSeconds(5), "src file:///t", waiting: new TerminalInputWait(51, "gpg", "/dev/pts/3"));

        RunningEvaluator.Evaluate(ScanOf(run), RunningOptions.From(Parse("--waiting-state", "critical")), Now).State.Should().Be(ServiceState.Critical);
        var ok = RunningEvaluator.Evaluate(ScanOf(run), RunningOptions.From(Parse("--waiting-state", "ok")), Now);
        ok.State.Should().Be(ServiceState.Ok);
        Render(ok, 1).Should().Contain("\\_ [OK] waiting for terminal input (GPG passphrase?) on /dev/pts/3 (its child gpg, PID 51)");
    }

    [Test]
    public void Expect_running_makes_none_running_critical()
        => Render(RunningEvaluator.Evaluate(ScanOf(), RunningOptions.From(Parse("--expect", "running", "-d", "rsync://u:pw@h/assets")), Now))
            .Should().StartWith("DUPLICITY RUNNING CRITICAL - no duplicity process for rsync://u:***@h/assets (expected one running)\n");

    [Test]
    public void Expect_stopped_makes_one_running_critical()
    {
        var result = RunningEvaluator.Evaluate(ScanOf(Run(7, TimeSpan.FromMinutes(1), "cleanup --force file:///t")), RunningOptions.From(Parse("--expect", "stopped")), Now);

        result.State.Should().Be(ServiceState.Critical);
        result.Summary.Should().Be("cleanup of file:///t running for 1m (PID 7) (expected none)");
    }

    [Test]
    public void Count_and_elapsed_thresholds_come_from_the_options()
    {
        var options = RunningOptions.From(Parse("-w", "~:30m", "-c", "2h", "--count-warning", "none", "--count-critical", "@2:"));
        var result = RunningEvaluator.Evaluate(ScanOf(Run(1, TimeSpan.FromHours(1), "src file:///a"), Run(2, TimeSpan.FromMinutes(1), "src file:///b")), options, Now);

        result.State.Should().Be(ServiceState.Critical);
        string.Join(' ', result.PerfData).Should().Be("processes=2;;@2:;0 elapsed=3600s;~:1800;7200;0");
    }

    [Test]
    public void An_unknown_start_time_is_unknown_not_ok()
    {
        var run = Run(9, TimeSpan.Zero, "src file:///t") is var r ? r with { Process = r.Process with { StartUtc = null } } : null!;

        var result = RunningEvaluator.Evaluate(ScanOf(run), Defaults, Now);

        result.State.Should().Be(ServiceState.Unknown);
        string.Join(' ', result.PerfData).Should().Be("processes=1;1;;0 elapsed=U;43200;86400;0");
    }

    [Test]
    public void A_lockfile_held_by_a_process_that_is_not_a_matching_duplicity_is_a_warning()
    {
        var scan = new DuplicityProcessScan([], "/proc", true, "/var/cache/duplicity/abc/lockfile", 777);

        var result = RunningEvaluator.Evaluate(scan, Defaults with { JobName = "assets" }, Now);

        result.State.Should().Be(ServiceState.Warning);
        result.Summary.Should().Be("no duplicity process for job assets, but PID 777 holds its lockfile");
    }

    [Test]
    public void Secrets_in_the_target_never_reach_the_output()
    {
        var run = Run(3, TimeSpan.FromMinutes(1), "full /srv sftp://backup:hunter22@host/srv/b");

        Render(RunningEvaluator.Evaluate(ScanOf(run), Defaults, Now), 3).Should().NotContain("hunter22").And.Contain("sftp://backup:***@host/srv/b");
    }
}
