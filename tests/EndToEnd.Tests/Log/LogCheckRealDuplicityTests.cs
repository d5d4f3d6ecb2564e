using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Log;

/// <summary>
/// Real duplicity 0.8.22 (/usr/bin/duplicity) makes the failures; its output, appended to a log as cron would,
/// is judged by the published check. Temporary directories; everything started is killed.
/// </summary>
[Category("RealComponent")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Category("EndToEnd")]
public class LogCheckRealDuplicityTests
{
    private static void AppendRun(string log, ProcessOutcome run) => File.AppendAllText(log, run.Stdout + run.Stderr);

    private static ProcessOutcome Judge(string log) => ProcessRun.Check("check_duplicity_log", "-l", log, "-u", "backup", "-d", "file:///x");

    [Test]
    public void Orphaned_backup_files_after_a_manifest_was_deleted_at_the_destination()
    {
        using var lab = new DuplicityLab();
        var log = Path.Combine(lab.Root, "backup.log");
        var full = lab.Run(lab.BackupArgs("", "--full-if-older-than", "7D"));
        full.ExitCode.Should().Be(0, full.Stderr);
        AppendRun(log, full);
        for (var i = 1; i <= 3; i++)
        {
            Thread.Sleep(1100); // duplicity's set names have one-second resolution
            lab.Touch($"inc-{i}.txt", $"change {i}\n");
            var inc = lab.Run(lab.BackupArgs("", "--full-if-older-than", "7D"));
            inc.ExitCode.Should().Be(0, inc.Stderr);
            AppendRun(log, inc);
        }
        Judge(log).ExitCode.Should().Be(0);

        // Delete the second incremental's manifest and volume at the destination, as in the fixtures.
        var incs = Directory.GetFiles(lab.TargetDir, "duplicity-inc.*.manifest").Order(StringComparer.Ordinal).ToList();
        var second = Path.GetFileName(incs[1]).Replace(".manifest", "", StringComparison.Ordinal);
        foreach (var f in Directory.GetFiles(lab.TargetDir, second + ".*")) File.Delete(f);

        Thread.Sleep(1100);
        lab.Touch("after.txt", "after\n");
        var next = lab.Run(lab.BackupArgs("", "--full-if-older-than", "7D"));
        AppendRun(log, next);
        (next.Stdout + next.Stderr).Should().Contain("orphaned backup file");

        var r = Judge(log);
        r.FirstLine.Should().Be("DUPLICITY LOG WARNING - last backup succeeded, but duplicity found orphaned backup files at the destination");
        r.Stdout.Should().Contain("Fix: delete them: sudo -iu backup duplicity cleanup --force file:///x");
        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(1);
    }

    [Test]
    public void An_encrypted_backup_without_passphrase_ends_in_eof_at_the_prompt()
    {
        using var lab = new DuplicityLab();
        var gnupg = Directory.CreateDirectory(Path.Combine(lab.Root, "gnupg")).FullName;
        File.SetUnixFileMode(gnupg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var args = new[] { "--archive-dir", lab.ArchiveDir, "--volsize", "5", "--full-if-older-than", "7D", lab.Source, lab.Target };
        var log = Path.Combine(lab.Root, "backup.log");
        var first = lab.Run(args, new Dictionary<string, string?> { ["PASSPHRASE"] = "lab-pass-123", ["GNUPGHOME"] = gnupg });
        first.ExitCode.Should().Be(0, first.Stderr);
        AppendRun(log, first);

        // Like cron: a new session without a terminal (setsid), stdin at EOF, no PASSPHRASE.
        lab.Touch("b.txt", "more\n");
        var env = new Dictionary<string, string?> { ["TZ"] = "UTC", ["LANG"] = "C.UTF-8", ["PASSPHRASE"] = null, ["GNUPGHOME"] = gnupg };
        var second = ProcessRun.Run("/usr/bin/setsid", ["-w", DuplicityLab.Duplicity, .. args], env, TimeSpan.FromMinutes(2), stdin: "");
        second.ExitCode.Should().Be(30, second.Stdout + second.Stderr);
        AppendRun(log, second);

        var r = Judge(log);
        r.FirstLine.Should().Be("DUPLICITY LOG CRITICAL - last run failed: duplicity asked for the GPG passphrase and got EOF");
        r.Stdout.Should().NotContain("lab-pass-123");
        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(2);
    }

    [Test]
    public void A_second_backup_while_the_first_holds_the_lock()
    {
        using var lab = new DuplicityLab();
        lab.AddRandomData("big.bin", 200);
        var log = Path.Combine(lab.Root, "backup.log");
        using var running = lab.Start(lab.BackupArgs("full"));
        DuplicityLab.WaitFor(() => File.Exists(Path.Combine(lab.CacheDir, "lockfile")) && lab.VolumesAtTarget > 0, "the first backup to take the lock");

        var second = lab.Run(lab.BackupArgs("", "--full-if-older-than", "7D"));
        second.ExitCode.Should().Be(23, second.Stdout + second.Stderr);
        AppendRun(log, second);

        var r = Judge(log);
        r.FirstLine.Should().Be("DUPLICITY LOG WARNING - last run: another duplicity instance held the lock (a backup was still running?)");
        r.Stderr.Should().BeEmpty();
        r.ExitCode.Should().Be(1);
    }
}
