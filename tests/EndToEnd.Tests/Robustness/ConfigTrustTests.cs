using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// A job file that sets what program runs (duplicity) or as whom (sudo_user) is refused when others could have
/// written it: the file writable by group or others, or its folder writable by group or others (the file could be
/// replaced). Refused before anything runs, with a message that says what to fix.
/// </summary>
[Category("EndToEnd")]
public class ConfigTrustTests
{
    private static string Job(TempDir dir, string program, string extra = "") => dir.File("jobs/jobs.ini",
        $"[job:j]\ndestination = file:///srv/none\nduplicity = {program}\n{extra}");

    [TestCase(0b110_110_100, "group-writable file")]
    [TestCase(0b110_100_110, "world-writable file")]
    public void A_job_file_others_can_write_cannot_choose_the_program(int mode, string what)
    {
        using var dir = new TempDir();
        var marker = Path.Combine(dir.Path, "ran");
        var evil = dir.Script("evil", $"#!/bin/sh\ntouch {marker}\n");
        var ini = Job(dir, evil);
        File.SetUnixFileMode(ini, (UnixFileMode)mode);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", ini]);
        r.ExitCode.Should().Be(3, what);
        r.FirstLine.Should().Contain(ini).And.Contain("refusing to run programs").And.Contain("chmod go-w");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_job_file_in_a_folder_others_can_write_cannot_choose_the_program()
    {
        using var dir = new TempDir();
        var marker = Path.Combine(dir.Path, "ran");
        var evil = dir.Script("evil", $"#!/bin/sh\ntouch {marker}\n");
        var ini = Job(dir, evil);
        File.SetUnixFileMode(ini, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, (UnixFileMode)0b111_111_111);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", ini]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(Path.GetDirectoryName(ini)!).And.Contain("refusing to run programs");
        File.Exists(marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_sudo_user_from_a_writable_job_file_is_refused()
    {
        using var dir = new TempDir();
        var ini = dir.File("jobs/jobs.ini", "[job:j]\ndestination = file:///srv/none\nsudo_user = root\n");
        File.SetUnixFileMode(ini, (UnixFileMode)0b110_110_110);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", ini]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain("refusing to run programs").And.Contain("sudo_user");
    }

    [Test]
    public void A_trusted_job_file_may_choose_the_program()
    {
        using var dir = new TempDir();
        var marker = Path.Combine(dir.Path, "ran");
        var fake = dir.Script("fake", $"#!/bin/sh\ntouch {marker}\nexit 1\n");
        var ini = Job(dir, fake);
        File.SetUnixFileMode(ini, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(Path.GetDirectoryName(ini)!, (UnixFileMode)0b111_101_101);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", ini, "-t", "10"]);
        r.ExitCode.Should().Be(3);
        File.Exists(marker).Should().BeTrue("a root-owned 0644 file in a 0755 folder is trusted: " + r.FirstLine);
    }
}
