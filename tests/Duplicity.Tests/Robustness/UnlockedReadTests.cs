using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// The files the freshness and running checks read (a saved collection-status, a manifest, a ps capture) are
/// read while another open holds flock(LOCK_EX) on them (issue 15 item 9): every .NET open by path takes a
/// shared flock on Unix and failed with "being used by another process".
/// </summary>
public class UnlockedReadTests
{
    /// <summary>FileShare.None: .NET takes flock(LOCK_EX) on this descriptor, as flock(1) around a wrapper does.</summary>
    private static FileStream Lock(string path) => new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

    [Test]
    public void A_status_file_locked_by_its_writer_is_read()
    {
        using var dir = new TempDir();
        var path = dir.File("status.txt", File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "duplicity-0.8.22/full-plus-incrementals/05-collection-status/stdout.txt")));
        using var holder = Lock(path);
        StatusFileReader.Read(path, TimeZoneInfo.Utc).Should().NotBeNull();
    }

    [Test]
    public void A_locked_manifest_is_counted()
    {
        using var dir = new TempDir();
        var path = dir.File("duplicity-full.20261126T101233Z.manifest", "Volume 1:\n    StartingPath   .\nVolume 2:\n    StartingPath   a\n");
        using var holder = Lock(path);
        ManifestVolumes.Count(path).Should().Be(2);
    }

    [Test]
    public void A_locked_ps_capture_is_read()
    {
        using var dir = new TempDir();
        var path = dir.File("ps.txt", "  PID  PPID USER                      STARTED ELAPSED COMMAND\n    1     0 root     Thu Nov 26 10:00:00 2026   60 /sbin/init\n");
        using var holder = Lock(path);
        PsCapture.Read(path, TimeZoneInfo.Utc).Should().HaveCount(1);
    }
}
