using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// The published checks run as nobody (setpriv) against root-owned caches, logs and status files (0700 folders,
/// 0600 files): UNKNOWN naming the path and the missing permission. --sudo-user goes through sudo -n: with no
/// sudoers rule it fails at once with a clear message instead of waiting for a password.
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class PermissionTests
{
    private const UnixFileMode Dir0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Traversable = Dir0700 | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private TempDir _dir = null!;

    [SetUp]
    public void SetUp()
    {
        if (Environment.UserName != "root") Assert.Ignore("needs root to make root-owned files and switch to nobody");
        _dir = new TempDir();
        File.SetUnixFileMode(_dir.Path, Traversable); // nobody may pass through the temp folder, not read what is protected
    }

    [TearDown]
    public void TearDown() => _dir?.Dispose();

    [Test]
    public void A_root_only_archive_dir_is_unknown_naming_it()
    {
        var cache = Directory.CreateDirectory(Path.Combine(_dir.Path, "cache")).FullName;
        _dir.File("cache/abc/duplicity-full-signatures.20261126T101346Z.sigtar.gz", "");
        File.SetUnixFileMode(cache, Dir0700);
        var r = Checks.RunAsNobody(Checks.Freshness, "-A", cache, "-N", "abc", "--now", "1795700000");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(cache).And.ContainEquivalentOf("permission denied");
    }

    [Test]
    public void A_root_only_log_is_unknown_naming_it()
    {
        var log = _dir.File("job.log", "duplicity full\n");
        File.SetUnixFileMode(log, File0600);
        var r = Checks.RunAsNobody(Checks.Log, "-l", log, "--now", "1795700000");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(log).And.ContainEquivalentOf("permission denied");
    }

    [Test]
    public void A_root_only_log_in_a_root_only_folder_is_unknown_naming_it()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, "logs")).FullName;
        var log = _dir.File("logs/job.log", "duplicity full\n");
        File.SetUnixFileMode(folder, Dir0700);
        var r = Checks.RunAsNobody(Checks.Log, "-l", log, "--now", "1795700000");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(log).And.ContainEquivalentOf("permission denied");
    }

    [Test]
    public void A_root_only_status_file_is_unknown_naming_it()
    {
        var status = _dir.File("status.txt", "whatever\n");
        File.SetUnixFileMode(status, File0600);
        var r = Checks.RunAsNobody(Checks.Freshness, "-s", status);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(status).And.ContainEquivalentOf("permission denied");
    }

    [Test]
    public void A_root_only_state_folder_is_unknown_naming_it()
    {
        var log = _dir.File("job.log", "duplicity full\n");
        File.SetUnixFileMode(log, File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var states = Directory.CreateDirectory(Path.Combine(_dir.Path, "state")).FullName;
        File.SetUnixFileMode(states, Dir0700);
        var r = Checks.RunAsNobody(Checks.Log, "-l", log, "--scope", "new", "--state-file", Path.Combine(states, "x.state"), "--now", "1795700000");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain(states).And.ContainEquivalentOf("denied");
    }

    [Test]
    public void Sudo_user_without_a_sudoers_rule_fails_at_once_with_a_clear_message()
    {
        var r = Checks.RunAsNobody(Checks.Freshness, "-d", "file:///srv/none", "--sudo-user", "root", "-t", "20");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain("sudo refused to run duplicity as root").And.Contain("NOPASSWD");
        r.FirstLine.Should().NotContain("timed out", "sudo -n never waits for a password");
    }
}
