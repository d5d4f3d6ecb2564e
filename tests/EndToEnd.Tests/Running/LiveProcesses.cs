using System.Globalization;
using CliWrap;

namespace DuplicityChecks.EndToEnd.Tests.Running;

/// <summary>
/// Processes a live test started: their trees are found through /proc and killed by PID (SIGKILL to each
/// descendant, then to the process group of the root), so nothing outlives the test.
/// </summary>
internal sealed class LiveProcesses : IDisposable
{
    private readonly List<(int Pid, CancellationTokenSource Cancel, Task Task)> _started = [];

    public int Start(Command command)
    {
        var cancel = new CancellationTokenSource();
        var task = command.WithValidation(CommandResultValidation.None).ExecuteAsync(CancellationToken.None, cancel.Token);
        _started.Add((task.ProcessId, cancel, task));
        return task.ProcessId;
    }

    public bool HasExited(int pid) => _started.First(s => s.Pid == pid).Task.IsCompleted;

    /// <summary>Every descendant of a PID, read from /proc/PID/task/*/children.</summary>
    public static List<int> Descendants(int pid)
    {
        var result = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.Count > 0)
        {
            var p = frontier.Dequeue();
            var tasks = $"/proc/{p}/task";
            if (!Directory.Exists(tasks)) continue;
            try
            {
                foreach (var task in Directory.EnumerateDirectories(tasks))
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var c = int.Parse(child, CultureInfo.InvariantCulture);
                        if (result.Contains(c)) continue;
                        result.Add(c);
                        frontier.Enqueue(c);
                    }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var (pid, cancel, task) in _started)
        {
            var victims = Descendants(pid);
            foreach (var victim in victims) Kill(victim.ToString(CultureInfo.InvariantCulture));
            Kill("-" + pid.ToString(CultureInfo.InvariantCulture)); // the whole group: setsid made the root its leader
            Kill(pid.ToString(CultureInfo.InvariantCulture));
            cancel.Cancel();
            try { task.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
            cancel.Dispose();
        }
    }

    private static void Kill(string target)
        => Cli.Wrap("/bin/kill").WithArguments(["-KILL", "--", target]).WithValidation(CommandResultValidation.None)
            .ExecuteAsync().GetAwaiter().GetResult();
}
