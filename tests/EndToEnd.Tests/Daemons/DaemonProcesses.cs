using System.Globalization;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Daemons;

/// <summary>
/// A daemon a test started (Icinga 2, NRPE), stopped by PID: the process CliWrap started, every descendant
/// (Icinga 2 re-executes itself and forks plugins; NRPE forks per connection) and the PID in its pid file.
/// SIGTERM first, SIGKILL to whatever is still there after a generous wait. Never by name.
/// </summary>
internal sealed class DaemonProcesses(BackgroundRun run, string? pidFile = null) : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    public BackgroundRun Run { get; } = run;

    public bool HasExited => Run.HasExited;

    /// <summary>The started process, its descendants and the pid file's PID (when it names one of ours).</summary>
    public IReadOnlyList<int> Pids()
    {
        var pids = new List<int> { Run.ProcessId };
        for (var i = 0; i < pids.Count; i++)
            foreach (var child in ProcessTable.ChildrenOf(pids[i]))
                if (!pids.Contains(child)) pids.Add(child);
        if (pidFile is not null && File.Exists(pidFile)
            && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var fromFile)
            && !pids.Contains(fromFile) && ProcessTable.CommandLine(fromFile) is { } cmd
            && cmd == ProcessTable.CommandLine(Run.ProcessId))
            pids.Add(fromFile);
        return pids;
    }

    public void Dispose()
    {
        var pids = Pids().Where(p => p != Environment.ProcessId).ToList();
        foreach (var pid in pids) ProcessTable.Signal(pid, SigTerm);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (pids.Any(Alive) && DateTime.UtcNow < until) Thread.Sleep(100);
        foreach (var pid in pids.Where(Alive)) ProcessTable.Signal(pid, SigKill);
        Run.Dispose();
    }

    /// <summary>Alive and not a zombie (a zombie's /proc/PID/stat state is Z).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException) { return false; }
    }
}
