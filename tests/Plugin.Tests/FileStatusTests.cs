using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>FileStatus, the one statx of an open file or a path: its fields, and times no DateTime can hold.</summary>
public class FileStatusTests
{
    [Test]
    public void An_open_file_reads_as_its_size_owner_identity_and_times()
    {
        using var dir = new TempDir();
        var path = dir.File("log", "hello\n");
        using var file = File.OpenHandle(path);
        var status = FileStatus.Of(file);
        status.IsRegularFile.Should().BeTrue();
        status.Size.Should().Be(6);
        status.Owner.Should().Be(DirectoryCalls.EffectiveUser);
        status.HasTimes.Should().BeTrue();
        status.ModifiedUtc.Should().BeCloseTo(File.GetLastWriteTimeUtc(path), TimeSpan.FromMilliseconds(1));
        DirectoryCalls.StatusFollowingLinks(path).Should().Be(status);
    }

    [TestCase("@300000000000", "max")]   // the year 11476: touch and the kernel allow it, DateTime does not
    [TestCase("@-70000000000", "min")]   // before the year 1
    public void A_time_beyond_what_a_DateTime_holds_is_its_last_or_first_value(string time, string end)
    {
        using var dir = TempDir.OnTmpfs();
        var path = dir.File("log", "x\n");
        ProcessRun.Run("/usr/bin/touch", ["-m", "-d", time, path]).ExitCode.Should().Be(0);
        using var file = File.OpenHandle(path);
        var status = FileStatus.Of(file);
        status.ModifiedUtc.Should().Be(end == "max" ? DateTime.MaxValue : DateTime.MinValue);
    }

    [Test]
    public void A_time_past_2262_reads_as_that_time()
    {
        // Nanoseconds since 1970 overflow a long in April 2262; ext4 keeps times up to 2446 and any user can set them.
        using var dir = new TempDir();
        var path = dir.File("log", "x\n");
        ProcessRun.Run("/usr/bin/touch", ["-m", "-d", "@14000000000", path]).ExitCode.Should().Be(0);
        using var file = File.OpenHandle(path);
        FileStatus.Of(file).ModifiedUtc.Should().Be(DateTime.UnixEpoch.AddSeconds(14000000000));
    }
}
