using System.Globalization;
using System.Runtime.InteropServices;
using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Makes sure nothing a cancelled duplicity started outlives the check. Killing the process tree by parent links
/// misses a grandchild whose parent already exited (a double fork, as daemons and <c>( cmd & )</c> do): it was
/// re-parented to init. So the check becomes a child subreaper (<c>prctl(PR_SET_CHILD_SUBREAPER)</c>): such
/// orphans are re-parented to the check instead, where <see cref="KillAll"/> finds, kills (SIGKILL, which no
/// stand-in can ignore) and reaps them, together with anything else still below the check.
/// </summary>
internal static partial class OrphanReaper
{
    private const int PrSetChildSubreaper = 36;
    private const int SigKill = 9;
    private const int WNoHang = 1;
    private static int _subreaper;

    /// <summary>Once per process, before the first child is started.</summary>
    public static void BecomeSubreaper()
    {
        if (Interlocked.Exchange(ref _subreaper, 1) == 0) _ = prctl(PrSetChildSubreaper, 1, 0, 0, 0);
    }

    /// <summary>Kills every live descendant of this process and reaps the children left as zombies; returns how many were killed.</summary>
    public static int KillAll(string procRoot = "/proc")
    {
        var self = Environment.ProcessId;
        var killed = new HashSet<int>();
        for (var round = 0; round < 50; round++)
        {
            var live = Descendants(procRoot, self).Where(p => p.State != 'Z').ToList();
            if (live.Count == 0) break;
            foreach (var p in live)
                if (kill(p.Pid, SigKill) == 0) killed.Add(p.Pid);
            Thread.Sleep(10);
        }
        // Our own zombie children (adopted orphans): reap them, or they stay in the table until we exit.
        foreach (var p in Descendants(procRoot, self).Where(p => p.ParentPid == self && p.State == 'Z'))
            _ = waitpid(p.Pid, out _, WNoHang);
        return killed.Count;
    }

    private static List<ProcStat> Descendants(string procRoot, int root)
    {
        var byParent = new Dictionary<int, List<ProcStat>>();
        IEnumerable<string> dirs;
        try { dirs = Directory.EnumerateDirectories(procRoot).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            string text;
            try { text = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (ProcStat.TryParse(text.TrimEnd('\n')) is not { } stat) continue;
            if (!byParent.TryGetValue(stat.ParentPid, out var list)) byParent[stat.ParentPid] = list = [];
            list.Add(stat);
        }
        var result = new List<ProcStat>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0 && result.Count < 100_000)
        {
            if (!byParent.TryGetValue(queue.Dequeue(), out var children)) continue;
            foreach (var c in children)
            {
                result.Add(c);
                queue.Enqueue(c.Pid);
            }
        }
        return result;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);
}
