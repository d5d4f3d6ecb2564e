using System.Globalization;
using DuplicityChecks.Duplicity.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Locks;

/// <summary>One line of /proc/locks: <c>1: POSIX  ADVISORY  WRITE 15771 fe:00:11780655 0 EOF</c>.</summary>
public sealed record ProcLockEntry(string Kind, string Mode, string Access, int Pid, uint Major, uint Minor, ulong Inode);

/// <summary>
/// Reads /proc/locks (acquisition). duplicity 0.7.13+ holds <c>lockfile</c> with <c>fcntl.lockf</c>, a POSIX
/// record lock, which .NET cannot probe by opening the file (it uses flock), so the kernel's table is the truth.
/// Device numbers are hex (<c>fe:00</c>); <c>-&gt;</c> lines are waiters and are skipped. Lines it does not
/// understand are skipped, not fatal.
/// </summary>
public static class ProcLocks
{
    public static IReadOnlyList<ProcLockEntry> Parse(IEnumerable<string> lines)
    {
        var result = new List<ProcLockEntry>();
        foreach (var raw in lines)
        {
            var parts = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // "N:" [ "->" ] KIND MODE ACCESS PID MAJ:MIN:INODE START END
            if (parts.Length < 8 || !parts[0].EndsWith(':')) continue;
            if (parts[1] == "->") continue; // a process waiting for the lock, not holding it
            if (!int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var dev = parts[5].Split(':');
            if (dev.Length != 3) continue;
            if (!uint.TryParse(dev[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var major)) continue;
            if (!uint.TryParse(dev[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var minor)) continue;
            if (!ulong.TryParse(dev[2], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)) continue;
            result.Add(new ProcLockEntry(parts[1], parts[2], parts[3], pid, major, minor, inode));
        }
        return result;
    }

    public static IReadOnlyList<ProcLockEntry> Read(string procRoot = "/proc")
    {
        var path = Path.Combine(procRoot, "locks");
        try
        {
            // Bounded: a capture's "locks" (--proc-root) can be anything, /dev/zero included.
            return Parse(BoundedTextFile.ReadLines(path, ReadLimits.ProcLocksBytes, ReadLimits.StatusLineChars, $"lock table {path}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The PID holding a POSIX lock on <paramref name="file"/> (its inode on its device, major and minor compared exactly), or null.</summary>
    public static int? HolderOf(IReadOnlyList<ProcLockEntry> locks, FileStatus file)
        => HolderOf(locks, file.Inode, (file.DeviceMajor, file.DeviceMinor));

    /// <summary>The PID holding a POSIX lock on the file with this inode (and device, when known), or null.</summary>
    public static int? HolderOf(IReadOnlyList<ProcLockEntry> locks, ulong inode, (uint Major, uint Minor)? device = null)
    {
        foreach (var l in locks)
        {
            if (l.Kind != "POSIX" || l.Inode != inode) continue;
            if (device is { } d && (d.Major != l.Major || d.Minor != l.Minor)) continue;
            return l.Pid;
        }
        return null;
    }
}
