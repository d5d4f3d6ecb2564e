using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Log;

/// <summary>The published check_duplicity_log on recorded logs: exact first line, empty stderr, exit code.</summary>
[Category("EndToEnd")]
public class LogCheckEndToEndTests
{
    private const string Check = "check_duplicity_log";
    private const string Now = "1795690000";

    private static string Fixture(string relative) => Path.Combine(RepoPaths.Fixtures, relative);

    private static ProcessOutcome Run(params string[] args) => ProcessRun.Check(Check, args);

    [Test]
    public void A_passphrase_eof_is_critical_with_the_fix()
    {
        var r = Run("-l", Fixture("duplicity-0.8.22/gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt"),
            "--now", Now, "-u", "govuk-backup", "--script", "/var/spool/duplicity/assets.sh", "-d", "rsync://govuk-backup@backup.example.org:/srv/backups/assets");
        r.FirstLine.Should().Be("DUPLICITY LOG CRITICAL - last run failed: duplicity asked for the GPG passphrase and got EOF");
        r.Stdout.Should().Contain("Fix: run the job once by hand in tmux or screen and type the passphrase when asked: sudo -iu govuk-backup /var/spool/duplicity/assets.sh");
        r.Stdout.Should().Contain("Fix: then confirm: sudo -iu govuk-backup duplicity collection-status rsync://govuk-backup@backup.example.org:/srv/backups/assets");
        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(2);
    }

    [Test]
    public void A_successful_backup_is_ok_with_its_statistics_as_perfdata()
    {
        var r = Run("-l", Fixture("duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/log-fd3.txt"), "--now", Now);
        r.FirstLine.Should().Be("DUPLICITY LOG OK - last backup succeeded (30 files, 2 new, 2 changed, 0 deleted, Errors 0) | elapsed_time=0s;;;0 source_files=30;;;0 "
            + "source_file_size=12021390B;;;0 new_files=2;;;0 deleted_files=0;;;0 changed_files=2;;;0 changed_file_size=111B;;;0 raw_delta_size=132B;;;0 "
            + "destination_size_change=287B errors=0;;;0 log_age=2040s;;;0");
        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(0);
    }

    [Test]
    public void Orphaned_files_after_a_successful_backup_are_a_warning_with_the_cleanup_command()
    {
        var r = Run("-l", Fixture("duplicity-3.1.0/orphaned-backup-files/08-backup-next-run-with-orphans/stdout.txt"), "--now", Now,
            "-u", "backup", "-d", "file:///var/backups/d310-orphans");
        r.FirstLine.Should().Be("DUPLICITY LOG WARNING - last backup succeeded, but duplicity found orphaned backup files at the destination");
        r.Stdout.Should().Contain("Fix: delete them: sudo -iu backup duplicity cleanup --force file:///var/backups/d310-orphans");
        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(1);
    }

    [Test]
    public void An_old_last_run_crosses_the_age_thresholds()
    {
        var r = Run("-l", Fixture("duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt"), "--now", "1795887959",
            "--age-warning", "26h", "--age-critical", "2d");
        r.FirstLine.Should().StartWith("DUPLICITY LOG CRITICAL - last run is 2d 7h old (above 2d); last backup succeeded");
        r.ExitCode.Should().Be(2);
    }

    [Test]
    public void A_missing_log_is_unknown_unless_told_otherwise()
    {
        var r = Run("-l", "/nonexistent/backup.log");
        r.FirstLine.Should().Be("DUPLICITY LOG UNKNOWN - log file /nonexistent/backup.log not found");
        r.ExitCode.Should().Be(3);
        Run("-l", "/nonexistent/backup.log", "--missing-state", "critical").ExitCode.Should().Be(2);
        r.Stderr.Should().BeEmpty();
    }

    [Test]
    public void Scope_new_reads_only_what_was_appended()
    {
        var dir = Directory.CreateTempSubdirectory("log-e2e-").FullName;
        try
        {
            var log = Path.Combine(dir, "backup.log");
            var state = Path.Combine(dir, "state", "backup.state");
            File.Copy(Fixture("duplicity-0.8.22/gpg-no-passphrase-eoferror/01-backup-no-passphrase-cron-merged/output-merged.txt"), log);
            Run("-l", log, "--scope", "new", "--state-file", state).ExitCode.Should().Be(2);
            var again = Run("-l", log, "--scope", "new", "--state-file", state);
            again.FirstLine.Should().StartWith("DUPLICITY LOG OK - no new output since the last check");
            File.AppendAllText(log, File.ReadAllText(Fixture("duplicity-0.8.22/full-plus-incrementals/02-backup-inc-1/stdout.txt")));
            var appended = Run("-l", log, "--scope", "new", "--state-file", state, "--now", Now);
            appended.FirstLine.Should().StartWith("DUPLICITY LOG OK - new output: 1 run, no failures | elapsed_time=0s;;;0 source_files=30;;;0");
            appended.Stderr.Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Passwords_in_quoted_lines_are_masked()
    {
        var dir = Directory.CreateTempSubdirectory("log-e2e-").FullName;
        try
        {
            var log = Path.Combine(dir, "backup.log");
            File.WriteAllText(log, "export PASSPHRASE=backup-pass-123\nLocal and Remote metadata are synchronized, no sync needed.\n"
                + "Giving up after 2 attempts. BackendException: Error running 'lftp ftp://backup:Sup3rS3cret@ftp.example.org/b': returned 1\n");
            var r = Run("-l", log, "-vvv");
            r.FirstLine.Should().Be("DUPLICITY LOG CRITICAL - last run failed: the backend failed and duplicity gave up");
            r.Stdout.Should().Contain("ftp://backup:***@ftp.example.org/b").And.NotContain("Sup3rS3cret").And.NotContain("backup-pass-123");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Help_and_bad_options_exit_unknown_without_stderr()
    {
        var help = Run("--help");
        help.ExitCode.Should().Be(3);
        help.Stdout.Should().Contain("--scope SCOPE").And.Contain("--logfile FILE");
        help.Stderr.Should().BeEmpty();
        var bad = Run("-l", "/x", "--scope", "sometimes");
        bad.FirstLine.Should().Be("DUPLICITY LOG UNKNOWN - usage error: --scope: 'sometimes' is not one of last-run, new, all");
        bad.ExitCode.Should().Be(3);
    }
}
