using DuplicityChecks.EndToEnd.Tests.Robustness;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Freshness;

/// <summary>
/// A live collection-status is over when duplicity exits, and nothing it started outlives the check. The stand-in
/// prints a real collection-status machine log (duplicity 3.1.0) and exits 0, leaving behind what real helpers
/// leave: a background child holding stdout and stderr open (as an ssh ControlPersist master does), the same in a
/// session of its own (setsid), a double-forked orphan, and a daemon with no pipes. Each is a copy of sleep whose
/// name carries a marker, so /proc shows whether any survived.
/// </summary>
[Category("EndToEnd")]
[Category("RealComponent")]
public class LiveRunLifetimeTests
{
    private const string Now = "1795693077"; // an hour after the fixture's last backup (2026-11-26 10:37:57 UTC)

    private static readonly string MachineLog = Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "full-plus-incrementals", "06-collection-status-logfd", "log-fd3.txt");

    private static readonly UnixFileMode Mode0755 = (UnixFileMode)0b111_101_101;

    private static (TempDir Dir, string Marker, string Program) Lab(string prefix, bool holdPipes = true)
    {
        var dir = new TempDir();
        File.SetUnixFileMode(dir.Path, Mode0755); // the sudo user runs the stand-in and its sleep
        var marker = $"{prefix}{Guid.NewGuid():N}"[..12];
        var sleeper = Path.Combine(dir.Path, $"sleep-{marker}");
        File.Copy("/bin/sleep", sleeper);
        File.SetUnixFileMode(sleeper, Mode0755);
        var program = dir.Script("duplicity", $"""
            #!/bin/sh
            for a; do case $a in --log-file=*) log=$(printf %s "$a" | cut -d= -f2-);; esac; done
            cat {MachineLog} >> "$log"
            echo "collection-status done"
            {(holdPipes ? "" : "exec >/dev/null 2>&1")}
            {sleeper} 300 &
            /usr/bin/setsid {sleeper} 301 &
            ( {sleeper} 302 & )
            ( /usr/bin/setsid {sleeper} 303 </dev/null >/dev/null 2>&1 & )
            exit 0
            """.Replace("\r", ""));
        return (dir, marker, program);
    }

    private static void NothingLeft(string marker)
        => DuplicityLab.WaitFor(() => ProcessTable.CommandLinesContaining(marker).Count == 0, $"no process of {marker} left", 5);

    private static void OkFromTheMachineLog(ProcessOutcome r)
    {
        r.ExitCode.Should().Be(0, r.Stdout);
        r.FirstLine.Should().StartWith("DUPLICITY FRESHNESS OK - last backup 1h ago (incremental, 2026-11-26 10:37 UTC)");
    }

    /// <summary>Runs the freshness check live with the stand-in: OK from its machine log, and none of its processes left.</summary>
    private static void OkAndNothingLeft((TempDir Dir, string Marker, string Program) lab, params string[] extra)
    {
        var (dir, marker, program) = lab;
        using var _ = dir;
        try
        {
            var r = Checks.Run(Checks.Freshness, ["-d", "file:///srv/none", "--duplicity", program, .. extra, "--now", Now, "-t", "10"]);
            OkFromTheMachineLog(r);
            NothingLeft(marker);
        }
        finally
        {
            foreach (var pid in ProcessTable.CommandLinesContaining(marker)) ProcessTable.Signal(pid, 9);
        }
    }

    [Test]
    public void The_result_is_taken_when_duplicity_exits_and_what_it_left_is_ended()
    {
        OkAndNothingLeft(Lab("l"));
    }

    [Test]
    public void Daemons_that_let_go_of_the_pipes_do_not_survive_a_successful_run()
    {
        OkAndNothingLeft(Lab("d", holdPipes: false));
    }

    [Test]
    public void What_a_sudo_user_run_left_is_ended_too()
    {
        if (Environment.UserName != "root") Assert.Ignore("needs root to sudo to another user without a rule");
        OkAndNothingLeft(Lab("s"), "--sudo-user", "nobody");
    }

    /// <summary>
    /// nagios may not signal the backup user's processes: it kills them with <c>sudo -n -u USER /usr/bin/kill</c>,
    /// which the sudoers rule the README gives allows (written here to /etc/sudoers.d for the test, then removed).
    /// </summary>
    [Test]
    public void A_nagios_check_ends_what_a_sudo_user_run_left_through_the_sudoers_rule()
    {
        if (Environment.UserName != "root") Assert.Ignore("needs root to write a sudoers rule and switch to nagios");
        var nagios = ProcessRun.Run("/usr/bin/id", ["-u", "nagios"]);
        if (nagios.ExitCode != 0) Assert.Ignore("no nagios user");
        var uid = nagios.Stdout.Trim();
        var gid = ProcessRun.Run("/usr/bin/id", ["-g", "nagios"]).Stdout.Trim();
        var (dir, marker, program) = Lab("n");
        using var _ = dir;
        var rule = $"/etc/sudoers.d/duplicity-checks-test-{marker}";
        File.WriteAllText(rule, $"nagios ALL=(nobody) NOPASSWD: {program}, /usr/bin/kill\n");
        File.SetUnixFileMode(rule, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        try
        {
            var r = Checks.RunAs(uid, gid, Checks.Freshness, "-d", "file:///srv/none", "--duplicity", program, "--sudo-user", "nobody", "--now", Now, "-t", "10");
            OkFromTheMachineLog(r);
            NothingLeft(marker);
        }
        finally
        {
            File.Delete(rule);
            foreach (var pid in ProcessTable.CommandLinesContaining(marker)) ProcessTable.Signal(pid, 9);
        }
    }
}
