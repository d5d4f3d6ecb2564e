using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// The process table read straight from /proc, or from a directory laid out like it (<c>--proc-root</c>):
/// <c>stat</c> (btime), <c>uptime</c>, <c>locks</c>, <c>PID/{cmdline,stat,status,wchan,syscall,environ,cwd}</c>,
/// <c>PID/fd/N</c> (or the capture form <c>PID/fd/N.link</c>), <c>PID/task/TID/children</c>.
/// Faster than forking ps: every process costs one read of the start of its cmdline; stat, status and the
/// rest are read only for processes whose command line may be duplicity, and for their children.
/// </summary>
public sealed class ProcProcessSource(string procRoot, DateTimeOffset now, UserDirectory? users = null, int maxCommandLineBytes = ProcProcessSource.DefaultMaxCommandLineBytes) : IProcessSource
{
    /// <summary>Long enough for any real duplicity command line; longer ones are cut (and flagged).</summary>
    public const int DefaultMaxCommandLineBytes = 1024 * 1024;

    /// <summary>Enough of the command line to see the interpreter, its options and the script.</summary>
    private const int FirstLookBytes = 4096;

    private readonly UserDirectory _users = users ?? new UserDirectory();
    private DateTimeOffset? _bootTime;
    private Dictionary<int, List<int>>? _childrenByStat;

    public string Root { get; } = procRoot;

    public string Description => Root;

    public IEnumerable<ProcessCommand> Commands(Func<ReadOnlySpan<byte>, bool>? mayMatch = null)
    {
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckException($"cannot list the process table {Root}: {ProcFiles.Reason(e)}");
        }
        // One buffer for every process's first look: most command lines are rejected from it. Paths are bytes
        // (RawFileRead): no string per process.
        var scratch = new byte[FirstLookBytes + 1];
        var root = RawFileRead.RootBytes(Root);
        var pathBuffer = new byte[root.Length + 32];
        foreach (var pid in Pids(dirs))
        {
            RawFileRead.ProcessFilePath(root, pid, "cmdline"u8, pathBuffer);
            var length = RawFileRead.ReadInto(pathBuffer, scratch, out _);
            if (length <= 0) continue; // gone, unreadable, or a kernel thread / zombie
            var longer = length > FirstLookBytes;
            if (mayMatch is not null && !mayMatch(scratch.AsSpan(0, Math.Min(length, FirstLookBytes)))) continue;
            IReadOnlyList<string> argv;
            var truncated = false;
            if (longer)
            {
                var bytes = RawFileRead.ReadBytes(pathBuffer, maxCommandLineBytes, out truncated);
                if (bytes is null) continue;
                argv = ProcFiles.SplitArgv(bytes);
            }
            else argv = ProcFiles.SplitArgv(scratch.AsSpan(0, length));
            yield return new ProcessCommand(pid, argv, truncated);
        }
    }

    private static IEnumerable<int> Pids(IEnumerable<string> dirs)
    {
        foreach (var dir in dirs)
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (name.Length > 0 && name.Length < 11 && IsDigits(name) && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                yield return pid;
        }
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    public ProcessEntry? Describe(int pid)
    {
        var dir = Path.Combine(Root, Number(pid));
        var statText = ProcFiles.ReadText(Path.Combine(dir, "stat"));
        if (statText is null) return null; // exited since it was listed
        var stat = ProcStat.TryParse(statText.TrimEnd('\n'))
            ?? throw new CheckException($"cannot parse {Path.Combine(dir, "stat")}: '{Shorten(statText)}'");
        var status = ProcFiles.ReadText(Path.Combine(dir, "status"));
        if (status is null) return null;
        var uid = UidFrom(status);
        var cmdline = ProcFiles.ReadBytes(Path.Combine(dir, "cmdline"), maxCommandLineBytes, out var truncated);
        var wchan = ProcFiles.ReadText(Path.Combine(dir, "wchan"), 256)?.Trim();
        var stdin = ProcFiles.ReadLink(Path.Combine(dir, "fd", "0"));
        return new ProcessEntry
        {
            Pid = pid,
            ParentPid = stat.ParentPid,
            Argv = cmdline is null ? [] : ProcFiles.SplitArgv(cmdline),
            ArgvTruncated = truncated,
            Comm = stat.Comm,
            State = stat.State,
            Uid = uid,
            User = uid is { } u ? _users.NameOf(u) ?? Number(u) : null,
            StartUtc = stat.StartUtc(BootTime()),
            // "0" is what the kernel shows for a running process (and when it hides the symbol).
            WaitChannel = wchan is null or "" or "0" ? null : wchan,
            Stdin = stdin,
            TerminalDevice = stat.TerminalDevice,
            ProcessGroup = stat.ProcessGroup,
            ForegroundGroup = stat.ForegroundGroup,
            ReadingFrom = stat.State == 'S' ? BlockedRead(dir) : null,
        };
    }

    private static int? UidFrom(string status)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
            var parts = line[4..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
        }
        return null;
    }

    /// <summary>
    /// The file a sleeping process is blocked reading: /proc/PID/syscall shows the system call number and its
    /// arguments (root or the same user only). Only read(2) counts; its first argument is the descriptor.
    /// </summary>
    private static string? BlockedRead(string dir)
    {
        var text = ProcFiles.ReadText(Path.Combine(dir, "syscall"), 512);
        if (text is null) return null;
        var parts = text.Trim().Split(' ');
        if (parts.Length < 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number != ReadSyscall) return null;
        var fdText = parts[1].StartsWith("0x", StringComparison.Ordinal) ? parts[1][2..] : parts[1];
        if (!long.TryParse(fdText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var fd) || fd < 0 || fd > int.MaxValue) return null;
        return ProcFiles.ReadLink(Path.Combine(dir, "fd", Number((int)fd)));
    }

    // read(2) is 0 on x86_64 and 63 on the generic table (aarch64); the check runs on the machine it inspects.
    private static readonly long ReadSyscall = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 63 : 0;

    /// <summary>
    /// Boot time: <c>btime</c> of <c>stat</c>; a capture without it but with <c>uptime</c> is read as taken at
    /// "now" (so replay it with --now). Neither: start times cannot be known, which is UNKNOWN, not a guess.
    /// </summary>
    public DateTimeOffset BootTime()
    {
        if (_bootTime is { } known) return known;
        if (ProcBootTime.Read(Root) is { } boot) return (_bootTime = boot).Value;
        var uptime = ProcFiles.ReadText(Path.Combine(Root, "uptime"), 256);
        var first = uptime?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is not null && double.TryParse(first, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var up) && up is >= 0 and < 100.0 * 366 * 86400)
            return (_bootTime = now.AddSeconds(-up)).Value;
        throw new CheckException($"cannot read the boot time from {Path.Combine(Root, "stat")} (btime) or {Path.Combine(Root, "uptime")}: process start times unknown");
    }

    public IReadOnlyList<int> ChildrenOf(int pid)
    {
        var taskDir = Path.Combine(Root, Number(pid), "task");
        if (Directory.Exists(taskDir))
        {
            var children = new List<int>();
            try
            {
                // Each thread has its own children file: a child forked by a worker thread is listed there.
                foreach (var task in Directory.EnumerateDirectories(taskDir))
                {
                    var text = ProcFiles.ReadText(Path.Combine(task, "children"));
                    if (text is null) continue;
                    foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var child) && !children.Contains(child))
                            children.Add(child);
                }
                if (children.Count > 0 || File.Exists(Path.Combine(taskDir, Number(pid), "children"))) return children;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process went away: fall through to the table built from stat files.
            }
        }
        return ChildrenFromStat().TryGetValue(pid, out var list) ? list : [];
    }

    /// <summary>Parent links of every process from their stat files: the fallback when task/*/children is missing.</summary>
    private Dictionary<int, List<int>> ChildrenFromStat()
    {
        if (_childrenByStat is not null) return _childrenByStat;
        var map = new Dictionary<int, List<int>>();
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories(Root).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return _childrenByStat = map;
        }
        foreach (var pid in Pids(dirs))
        {
            if (ProcStat.TryParse(ProcFiles.ReadText(Path.Combine(Root, Number(pid), "stat"))?.TrimEnd('\n')) is not { } stat) continue;
            if (!map.TryGetValue(stat.ParentPid, out var list)) map[stat.ParentPid] = list = [];
            list.Add(pid);
        }
        return _childrenByStat = map;
    }

    public IReadOnlyList<ProcLockEntry>? Locks()
    {
        var path = Path.Combine(Root, "locks");
        return File.Exists(path) ? ProcLocks.Read(Root) : null;
    }

    public string? EnvironmentValue(int pid, string name)
    {
        var bytes = ProcFiles.ReadBytes(Path.Combine(Root, Number(pid), "environ"), 256 * 1024, out _);
        if (bytes is null) return null;
        // Only the one variable is decoded: the environment of a backup may hold PASSPHRASE.
        var prefix = Encoding.UTF8.GetBytes(name + "=");
        ReadOnlySpan<byte> rest = bytes;
        while (rest.Length > 0)
        {
            var nul = rest.IndexOf((byte)0);
            var entry = nul < 0 ? rest : rest[..nul];
            if (entry.StartsWith(prefix)) return Encoding.UTF8.GetString(entry[prefix.Length..]);
            if (nul < 0) break;
            rest = rest[(nul + 1)..];
        }
        return null;
    }

    public string? WorkingDirectory(int pid) => ProcFiles.ReadLink(Path.Combine(Root, Number(pid), "cwd"));

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    // Between words: half a URL would escape the secret masking.
    private static string Shorten(string text) => ShortText.Cut(text.ReplaceLineEndings(" "), 83);
}
