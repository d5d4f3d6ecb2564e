using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DuplicityChecks.EndToEnd.Tests.Daemons;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Nrpe;

/// <summary>
/// Debian's NRPE daemon (its own configuration, 127.0.0.1, a free port, never the system's 5666) runs the
/// published checks as the nagios user with fixed arguments, against real duplicity backups made here;
/// check_nrpe must return exactly what a direct run as nagios prints, and its exit code, with the default
/// (v3/v4) packets and with v2 packets (-2, 1023 bytes at most).
/// </summary>
[Category("RealComponent")]
public class NrpeTests
{
    private const string NrpeDaemon = "/usr/sbin/nrpe";
    private const string CheckNrpe = "/usr/lib/nagios/plugins/check_nrpe";
    private const string RunUser = "/usr/sbin/runuser";
    private const int NrpeV2MaxOutput = 1023;

    [Test]
    public void Check_nrpe_returns_what_a_direct_run_prints_with_v3_and_v2_packets()
    {
        using var lab = new DuplicityLab();
        lab.Full().ExitCode.Should().Be(0);
        using var dir = new TempDir();
        var okLog = dir.File("logs/ok.log", Cron(lab.Incremental()));
        var failed = lab.Run(["full", "--archive-dir", lab.ArchiveDir, lab.Source, "file://" + Path.Combine(lab.Root, "encrypted")]);
        failed.ExitCode.Should().NotBe(0);
        var failedLog = dir.File("logs/failed.log", Cron(failed));
        var bin = CopyChecks(dir);
        // The nagios user reads the backups and logs: world-readable, as on a real backup host set up for it.
        OpenToOthers(lab.Root);
        OpenToOthers(dir.Path);

        // Fixed --now: a direct run and NRPE's run a moment later print the same ages.
        var now = DateTimeOffset.UtcNow.AddHours(3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddDays(3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var commands = new Dictionary<string, string[]>
        {
            ["duplicity_freshness_ok"] = [$"{bin}/check_duplicity_freshness", "--archive-dir", lab.ArchiveDir, "--destination", lab.Target, "--now", now],
            ["duplicity_freshness_stale"] = [$"{bin}/check_duplicity_freshness", "--archive-dir", lab.ArchiveDir, "--destination", lab.Target, "--now", later],
            ["duplicity_running_expected"] = [$"{bin}/check_duplicity_running", "--destination", lab.Target, "--expect", "running", "--now", now],
            ["duplicity_log_ok"] = [$"{bin}/check_duplicity_log", "--logfile", okLog, "--now", now],
            ["duplicity_log_failed"] = [$"{bin}/check_duplicity_log", "--logfile", failedLog, "--destination", lab.Target, "--archive-dir", lab.ArchiveDir, "--now", now],
            ["duplicity_log_missing"] = [$"{bin}/check_duplicity_log", "--logfile", Path.Combine(dir.Path, "logs", "missing.log")],
        };

        var port = FreePort();
        var cfg = dir.File("nrpe/nrpe.cfg", string.Join('\n',
        [
            "debug=0",
            $"pid_file={dir.Path}/nrpe/nrpe.pid",
            $"server_port={port}",
            "server_address=127.0.0.1",
            "nrpe_user=nagios",
            "nrpe_group=nagios",
            "allowed_hosts=127.0.0.1",
            "dont_blame_nrpe=0",
            "allow_bash_command_substitution=0",
            "command_timeout=60",
            "connection_timeout=300",
            .. commands.Select(c => $"command[{c.Key}]={string.Join(' ', c.Value)}"),
            "",
        ]));
        OpenToOthers(dir.Path);

        using var nrpe = new DaemonProcesses(BackgroundRun.Start(NrpeDaemon, ["-c", cfg, "-f"]), Path.Combine(dir.Path, "nrpe", "nrpe.pid"));
        DuplicityLab.WaitFor(() =>
        {
            if (nrpe.HasExited) throw new InvalidOperationException("nrpe exited: " + nrpe.Run.Stdout + nrpe.Run.Stderr);
            return ProcessRun.Run(CheckNrpe, ["-H", "127.0.0.1", "-p", Port(port)]).ExitCode == 0;
        }, $"nrpe answering on 127.0.0.1:{port}", 60);

        var exitCodes = new HashSet<int>();
        foreach (var (name, argv) in commands)
        {
            var direct = ProcessRun.Run(RunUser, ["-u", "nagios", "--", .. argv]);
            direct.Stderr.Should().BeEmpty(name);
            direct.Stdout.Length.Should().BeLessThanOrEqualTo(NrpeV2MaxOutput, "the default output of {0} fits an NRPE v2 packet", name);
            exitCodes.Add(direct.ExitCode);

            foreach (var packets in new[] { Array.Empty<string>(), ["-2"] })
            {
                var viaNrpe = ProcessRun.Run(CheckNrpe, ["-H", "127.0.0.1", "-p", Port(port), "-t", "60", .. packets, "-c", name]);
                var what = $"{name} through check_nrpe {string.Join(' ', packets)}";
                viaNrpe.ExitCode.Should().Be(direct.ExitCode, what);
                viaNrpe.Stdout.TrimEnd('\n').Should().Be(direct.Stdout.TrimEnd('\n'), what);
            }
        }
        exitCodes.Should().BeEquivalentTo([0, 2, 3], "the commands cover OK, CRITICAL and UNKNOWN");
    }

    private static string Cron(ProcessOutcome run) => run.Stdout + run.Stderr;

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The executables in a world-readable place: the checkout may sit in a home directory nagios cannot enter.</summary>
    private static string CopyChecks(TempDir dir)
    {
        var bin = Directory.CreateDirectory(Path.Combine(dir.Path, "bin")).FullName;
        foreach (var name in new[] { "check_duplicity_freshness", "check_duplicity_running", "check_duplicity_log" })
            File.Copy(RepoPaths.Executable(name), Path.Combine(bin, name));
        return bin;
    }

    private static void OpenToOthers(string root)
    {
        const UnixFileMode dirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode fileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(root, dirMode);
        foreach (var d in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(d, dirMode);
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(f, (File.GetUnixFileMode(f) & UnixFileMode.UserExecute) != 0 ? dirMode : fileMode);
    }

    /// <summary>A port nobody listens on right now (the kernel's choice), never the system NRPE's 5666.</summary>
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
