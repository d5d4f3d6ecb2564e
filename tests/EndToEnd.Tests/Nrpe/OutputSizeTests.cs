using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Nrpe;

/// <summary>
/// The default output (no -v) must fit an NRPE v2 packet (1023 bytes): NRPE cuts longer output there, and
/// a cut through the perfdata line leaves a wrong value (log_age=4 instead of log_age=4200s). Measured over
/// every recorded duplicity run in ../shared/fixtures, with the fix commands filled in from a realistic job.
/// </summary>
[Category("EndToEnd")]
public class OutputSizeTests
{
    private const int NrpeV2MaxOutput = 1023;
    private const string Now = "2026-11-27T00:00:00Z";

    private static string JobFile(TempDir dir) => dir.File("duplicity-checks.ini", """
        [job:assets]
        destination = rsync://govuk-backup@backup.example.org:/srv/backups/assets
        archive_dir = /data/backups/.cache/duplicity
        user        = govuk-backup
        script      = /var/spool/duplicity/assets.sh
        """);

    [Test]
    public void Freshness_default_output_fits_an_NRPE_v2_packet_for_every_recorded_collection_status()
    {
        using var dir = TempDir.InTrustedFolder();
        var job = JobFile(dir);
        var sizes = Fixtures("collection-status", "stdout.txt", "log-fd3.txt")
            .Select(f => (File: f, Run: ProcessRun.Check("check_duplicity_freshness", "--config", job, "--job", "assets", "--status-file", f, "--timezone", "UTC", "--now", Now)))
            .ToList();
        sizes.Should().HaveCountGreaterThan(50);
        sizes.Select(s => s.Run.ExitCode).Distinct().Should().Contain([0, 2], "the corpus has good and bad cases");
        sizes.Where(s => s.Run.Stdout.Length > NrpeV2MaxOutput).Select(s => $"{s.Run.Stdout.Length} bytes: {s.File}")
            .Should().BeEmpty();
    }

    [Test]
    public void Log_default_output_fits_an_NRPE_v2_packet_for_every_recorded_run()
    {
        using var dir = TempDir.InTrustedFolder();
        var job = JobFile(dir);
        var sizes = Fixtures("", "output-merged.txt", "log-fd3.txt", "stderr.txt")
            .Select(f => (File: f, Run: ProcessRun.Check("check_duplicity_log", "--config", job, "--job", "assets", "--logfile", f, "--now", Now)))
            .ToList();
        sizes.Should().HaveCountGreaterThan(100);
        sizes.Where(s => s.Run.Stdout.Length > NrpeV2MaxOutput).Select(s => $"{s.Run.Stdout.Length} bytes: {s.File}")
            .Should().BeEmpty();
    }

    private static IEnumerable<string> Fixtures(string scenarioPart, params string[] names)
        => RepoPaths.VersionDirectories
            .SelectMany(v => Directory.EnumerateFiles(v, "*", SearchOption.AllDirectories))
            .Where(f => names.Contains(Path.GetFileName(f)) && f.Contains(scenarioPart, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
