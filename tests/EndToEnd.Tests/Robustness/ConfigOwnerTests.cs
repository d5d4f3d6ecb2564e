using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Robustness;

/// <summary>
/// The owner of a job file (and of every folder on its path) can change its mode and content, so the file is used
/// only when root or the user running the check owns them all; and that is decided on what was opened, so swapping
/// links while a check runs wins nothing. Needs root (chown; setpriv).
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
        _dir = TempDir.InTrustedFolder();
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
        r.FirstLine.Should().Be($"DUPLICITY FRESHNESS UNKNOWN - job file {_ini}: it is owned by uid {OtherUser}, neither root nor the user "
            + $"running the check (uid 0): not trusted, nothing in it is used (chown root {_ini})");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void A_job_file_in_a_folder_owned_by_another_user_cannot_choose_the_program()
    {
        var folder = Path.GetDirectoryName(_ini)!;
        Chown(folder, OtherUser);
        var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", _ini, "-t", "10"]);
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {_ini}: folder {folder} is owned by uid {OtherUser}, neither root nor").And.Contain($"(chown root {folder})");
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
        r.FirstLine.Should().Contain($"it is owned by uid {OtherUser}, neither root nor the user running the check (uid {Nobody}): not trusted");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void Nobody_does_not_use_its_own_job_file_when_its_group_can_write_it()
    {
        Chown(_ini, Nobody);
        File.SetUnixFileMode(_ini, Mode0644 | UnixFileMode.GroupWrite);
        var r = Checks.RunAsNobody(Checks.Freshness, "-j", "j", "--config", _ini, "-t", "10");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {_ini}: it is writable by group: not trusted");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void Nobody_does_not_use_a_job_file_below_a_folder_of_another_user()
    {
        Chown(_dir.Path, OtherUser);
        var r = Checks.RunAsNobody(Checks.Freshness, "-j", "j", "--config", _ini, "-t", "10");
        r.ExitCode.Should().Be(3);
        r.FirstLine.Should().Contain($"job file {_ini}: folder {_dir.Path} is owned by uid {OtherUser}, neither root nor the user running the check (uid {Nobody})");
        File.Exists(_marker).Should().BeFalse("nothing from the file was run");
    }

    [Test]
    public void Nobody_uses_a_job_file_that_root_owns()
    {
        var r = Checks.RunAsNobody(Checks.Freshness, "-j", "j", "--config", _ini, "-t", "10");
        r.ExitCode.Should().Be(3, "the stand-in fails");
        File.Exists(_marker).Should().BeTrue("root's 0644 file in root's 0755 folders is trusted by every user: " + r.FirstLine);
    }

    /// <summary>
    /// The race of issue 15 (78 of 300 root runs ran the attacker's program): root's check reads /etc-like/jobs.ini, a
    /// link into a folder nobody owns, where nobody keeps swapping jobs.ini between its own file (duplicity = its
    /// program) and a link to root's trusted file. A check that reads one file and checks another loses.
    /// </summary>
    [Test]
    public void Swapping_the_job_file_while_root_checks_it_never_runs_the_attackers_program()
    {
        const int tries = 300;
        var attacker = Directory.CreateDirectory(Path.Combine(_dir.Path, "attacker")).FullName;
        var wins = Path.Combine(_dir.Path, "marks", "wins");
        var evil = _dir.Script("attacker/evil", $"#!/bin/sh\necho win >> {wins}\nexit 1\n");
        var evilIni = _dir.File("attacker/evil.ini", $"[job:j]\ndestination = file:///srv/none\nduplicity = {evil}\n");
        // As fast as renames go (a shell loop forking ln and mv swapped too slowly to hit the window).
        var loop = _dir.Script("attacker/swap.py", "#!/usr/bin/python3\nimport os, sys\nos.chdir(sys.argv[1])\nwhile True:\n"
            + "    os.link('evil.ini', 'a.tmp'); os.rename('a.tmp', 'jobs.ini')\n"
            + "    os.symlink(sys.argv[2], 'b.tmp'); os.rename('b.tmp', 'jobs.ini')\n");
        foreach (var p in new[] { attacker, evil, evilIni, loop }) Chown(p, Nobody);
        var config = Path.Combine(_dir.Path, "etc", "jobs.ini");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.CreateSymbolicLink(config, Path.Combine(attacker, "jobs.ini"));
        File.CreateSymbolicLink(Path.Combine(attacker, "jobs.ini"), _ini);

        var outcomes = new Dictionary<string, int>();
        using (var swapper = BackgroundRun.Start("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", loop, attacker, _ini]))
        {
            for (var i = 0; i < tries; i++)
            {
                var r = Checks.Run(Checks.Freshness, ["-j", "j", "--config", config, "-t", "5"]);
                var kind = r.FirstLine.Contains("not trusted", StringComparison.Ordinal) ? "refused as untrusted" : $"exit {r.ExitCode}: {r.FirstLine}";
                outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
            }
            swapper.HasExited.Should().BeFalse("the attacker swapped all along: " + swapper.Stderr);
        }
        var won = File.Exists(wins) ? File.ReadAllLines(wins).Length : 0;
        TestContext.Progress.WriteLine($"job file swap race: attacker's program ran {won} of {tries} times; "
            + string.Join("; ", outcomes.Select(o => $"{o.Value} x {o.Key}")));
        won.Should().Be(0);
        outcomes.Should().ContainKey("refused as untrusted").WhoseValue.Should().Be(tries, "a folder nobody owns is on the path of every try");
    }

    private static void Chown(string path, int uid)
        => ProcessRun.Run("/usr/bin/chown", [$"{uid}:{uid}", path]).ExitCode.Should().Be(0, $"chown {uid} {path}");
}
