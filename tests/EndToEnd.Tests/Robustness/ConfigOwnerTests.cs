using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// The owner of a job file (and of its folder) can change its mode and content, so a file that chooses the program
/// (duplicity) is trusted only when root or the user running the check owns both. Needs root (chown; setpriv).
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class ConfigOwnerTests
{
    private const int OtherUser = 12345;
    private const int Nobody = 65534;
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0755 = Mode0644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private TempDir _dir = null!;
    private string _marker = null!;
    private string _ini = null!;

    [SetUp]
    public void SetUp()
    {
        if (Environment.UserName != "root") Assert.Ignore("needs root to give files to other users");
        _dir = new TempDir();
        File.SetUnixFileMode(_dir.Path, Mode0755);
        // The stand-in leaves a mark when it runs; the marker's folder is writable by everyone for the nobody case.
        var marks = Directory.CreateDirectory(Path.Combine(_dir.Path, "marks")).FullName;
        File.SetUnixFileMode(marks, Mode0755 | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        _marker = Path.Combine(marks, "ran");
        var program = _dir.Script("fake-duplicity", $"#!/bin/sh\ntouch {_marker}\nexit 1\n");
        File.SetUnixFileMode(program, Mode0755);
        _ini = _dir.File("jobs/jobs.ini", $"[job:j]\ndestination = file:///srv/none\nduplicity = {program}\n");
        File.SetUnixFileMode(_ini, Mode0644);
        File.SetUnixFileMode(Path.GetDirectoryName(_ini)!, Mode0755);
    }

    [TearDown]
    public void TearDown() => _dir?.Dispose();

    [Test]
    public void A_job_file_owned_by_another_user_cannot_choose_the_program()
    {
        Chown(_ini, OtherUser);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", _ini, "-t", "10"]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(_ini).And.Contain($"owned by uid {OtherUser}").And.Contain("refusing to run programs")
            .And.Contain($"chown root {_ini}");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_job_file_in_a_folder_owned_by_another_user_cannot_choose_the_program()
    {
        var folder = Path.GetDirectoryName(_ini)!;
        Chown(folder, OtherUser);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", _ini, "-t", "10"]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"its folder {folder} is owned by uid {OtherUser}").And.Contain("refusing to run programs");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void The_user_running_the_check_may_own_its_job_file()
    {
        Chown(_ini, Nobody);
        Chown(Path.GetDirectoryName(_ini)!, Nobody);
        var r = Checks.RunAsNobody(Checks.Freshness, "-j", "j", "--config", _ini, "-t", "10");
        r.ExitCode.Should().Be(3, "the stand-in fails");
        File.Exists(_marker).Should().BeTrue("a file owned by the user running the check is trusted: " + r.FirstLine);
    }

    [Test]
    public void Nobody_does_not_trust_a_job_file_of_another_user()
    {
        Chown(_ini, OtherUser);
        var r = Checks.RunAsNobody(Checks.Freshness, "-j", "j", "--config", _ini, "-t", "10");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"owned by uid {OtherUser}, neither root nor the user running the check (uid {Nobody})");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    private static void Chown(string path, int uid)
        => ProcessRun.Run("/usr/bin/chown", [$"{uid}:{uid}", path]).ExitCode.Should().Be(0, $"chown {uid} {path}");
}
