using System.Globalization;
using CliWrap;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Running;

/// <summary>
/// A duplicity-shaped process of another user: <c>/usr/bin/python3 DIR/duplicity incremental SRC file://...</c> (as
/// Debian's duplicity runs) that only sleeps, started through setpriv with that user's uid and gid and no groups.
/// Killed with its tree on Dispose.
/// </summary>
internal sealed class FakeDuplicityRun : IDisposable
{
    private readonly string _dir;
    private readonly LiveProcesses _processes = new();

    public FakeDuplicityRun(NameServiceOnlyUser user)
    {
        _dir = Path.Combine("/tmp", "duplicity-checks-fake-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_dir);
        // The other user must be able to run the script: a folder and script that everyone may read.
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED); // 0755
        var script = Path.Combine(_dir, "duplicity");
        File.WriteAllText(script, "#!/usr/bin/python3\nimport time\ntime.sleep(600)\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        Target = "file://" + Path.Combine(_dir, "target");
        Pid = _processes.Start(Cli.Wrap("/usr/bin/setpriv").WithArguments([
            $"--reuid={user.UidText}", $"--regid={user.UidText}", "--clear-groups",
            script, "incremental", Path.Combine(_dir, "src"), Target]));
        var cmdline = $"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
        for (var i = 0; i < 200 && !(File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("python3", StringComparison.Ordinal)); i++)
            Thread.Sleep(50);
        File.ReadAllText(cmdline).Should().Contain("python3", "the fake duplicity runs");
    }

    public int Pid { get; }

    public string Target { get; }

    public void Dispose()
    {
        _processes.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
