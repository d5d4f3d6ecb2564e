using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Makes sure nothing a duplicity run started outlives the check, whether the run ended by itself or was cancelled.
/// Killing the process tree by parent links misses a grandchild whose parent already exited (a double fork, as
/// daemons, <c>( cmd &amp; )</c> and ssh's ControlPersist master do): it would be re-parented to init. So the check
/// becomes a child subreaper (<c>prctl(PR_SET_CHILD_SUBREAPER)</c>) and such orphans are re-parented to the check,
/// whatever user they run as (sudo). A run's processes are: every descendant of the check, every member of the
/// run's own session (duplicity is started through setsid), and every process whose environment carries the
/// run's marker (readable for the check's own user, or for root). They get SIGTERM (an ssh master then removes
/// its control socket) and, when still there a moment later, SIGKILL, which no stand-in can ignore; the orphans
/// that became our children are reaped.
/// </summary>
internal static class OrphanReaper
{
    /// <summary>Set in duplicity's environment; inherited by all it starts (except through sudo, which resets it).</summary>
    public const string MarkerVariable = "DUPLICITY_CHECKS_RUN";

    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const int EnvironBytes = 256 * 1024;
    private static readonly TimeSpan TermGrace = TimeSpan.FromMilliseconds(300);
    private static int _subreaper;

    /// <summary>Once per process, before the first child is started.</summary>
    public static void BecomeSubreaper()
    {
        if (Interlocked.Exchange(ref _subreaper, 1) == 0) ProcessCalls.BecomeChildSubreaper();
    }

    /// <summary>
    /// A new marker value for one run (122 random bits), so no other process carries it by chance. Guid, not
    /// System.Security.Cryptography: that loads OpenSSL, and with it a second libc into the static executables, after
    /// which Process.Start fails ("a file name has not been provided").
    /// </summary>
    public static string NewMarker() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Ends every process of the run (see the class summary) except <paramref name="run"/>'s own process, which
    /// CliWrap waits for and reaps. <paramref name="gentle"/>: SIGTERM first, SIGKILL for what is left after a
    /// moment; otherwise SIGKILL at once (a timeout has no time to spare).
    /// </summary>
    public static ReapOutcome EndRun(RunIdentity run, bool gentle, string procRoot = "/proc")
    {
        var self = Environment.ProcessId;
        var killed = new HashSet<int>();
        var denied = new HashSet<int>();
        if (gentle)
        {
            foreach (var p in Find(procRoot, self, run))
                if (Signal(p, SigTerm, denied)) killed.Add(p);
            var until = DateTime.UtcNow + TermGrace;
            while (DateTime.UtcNow < until && Find(procRoot, self, run).Any(p => !denied.Contains(p)))
            {
                ReapAdopted(procRoot, self, run);
                Thread.Sleep(10);
            }
        }
        for (var round = 0; round < 50; round++)
        {
            var live = Find(procRoot, self, run).Where(p => !denied.Contains(p)).ToList();
            if (live.Count == 0) break;
            foreach (var p in live)
                if (Signal(p, SigKill, denied)) killed.Add(p);
            Thread.Sleep(10);
        }
        ReapAdopted(procRoot, self, run);
        var left = Find(procRoot, self, run).ToHashSet();
        return new ReapOutcome(killed.Count(p => !left.Contains(p)), [.. left.Order()]);
    }

    /// <summary>Reaps the orphans that became our children (zombies); never the run's own process.</summary>
    public static void ReapAdopted(string procRoot, int self, RunIdentity run)
    {
        foreach (var p in Processes(procRoot).Where(p => p.ParentPid == self && p.State == 'Z' && p.Pid != run.ProcessId))
            ProcessCalls.ReapIfExited(p.Pid);
    }

    private static bool Signal(int pid, int signal, HashSet<int> denied)
    {
        if (ProcessCalls.Signal(pid, signal, out var error)) return true;
        if (error == ProcessCalls.NotPermitted) denied.Add(pid);
        return false;
    }

    /// <summary>The live (not zombie) processes of the run, without the run's own process and without us.</summary>
    private static IEnumerable<int> Find(string procRoot, int self, RunIdentity run)
    {
        var all = Processes(procRoot);
        var byParent = all.ToLookup(p => p.ParentPid);
        var found = new HashSet<int>();
        var queue = new Queue<int>([self]);
        while (queue.Count > 0 && found.Count < 100_000)
            foreach (var c in byParent[queue.Dequeue()])
                if (found.Add(c.Pid)) queue.Enqueue(c.Pid);
        foreach (var p in all)
        {
            if (found.Contains(p.Pid) || p.Pid == self) continue;
            if ((run.Session is { } sid && (p.Session == sid || p.ProcessGroup == sid)) || CarriesMarker(procRoot, p.Pid, run.Marker))
            {
                found.Add(p.Pid);
                // What such a process started belongs to the run too (its environment may have been cleared).
                var below = new Queue<int>([p.Pid]);
                while (below.Count > 0 && found.Count < 100_000)
                    foreach (var c in byParent[below.Dequeue()])
                        if (found.Add(c.Pid)) below.Enqueue(c.Pid);
            }
        }
        var zombies = all.Where(p => p.State == 'Z').Select(p => p.Pid).ToHashSet();
        return found.Where(p => p != run.ProcessId && p != self && !zombies.Contains(p));
    }

    private static bool CarriesMarker(string procRoot, int pid, string marker)
    {
        var environ = ProcFiles.ReadBytes(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "environ"), EnvironBytes, out _);
        if (environ is null) return false;
        var wanted = Encoding.ASCII.GetBytes(MarkerVariable + "=" + marker);
        var span = environ.AsSpan();
        for (var at = span.IndexOf(wanted); at >= 0;)
        {
            var end = at + wanted.Length;
            if ((at == 0 || span[at - 1] == 0) && (end == span.Length || span[end] == 0)) return true;
            var next = span[(at + 1)..].IndexOf(wanted);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    private static List<ProcStat> Processes(string procRoot)
    {
        var result = new List<ProcStat>();
        IEnumerable<string> dirs;
        try { dirs = Directory.EnumerateDirectories(procRoot).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return result; }
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            var text = ProcFiles.ReadText(Path.Combine(dir, "stat"), 4096);
            if (ProcStat.TryParse(text?.TrimEnd('\n')) is { } stat) result.Add(stat);
        }
        return result;
    }
}

/// <summary>
/// Which processes belong to one live run: <paramref name="ProcessId"/> is the process the check started (CliWrap
/// reaps it), <paramref name="Session"/> its own session when it was started through setsid (null otherwise: the
/// session is then the check's own), <paramref name="Marker"/> the value of <see cref="OrphanReaper.MarkerVariable"/>.
/// </summary>
internal sealed record RunIdentity(int ProcessId, int? Session, string Marker);

/// <summary>How many processes of a run were ended, and which could not be (another user's: EPERM).</summary>
internal sealed record ReapOutcome(int Ended, IReadOnlyList<int> Left);
