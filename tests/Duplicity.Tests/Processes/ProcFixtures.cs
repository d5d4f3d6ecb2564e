using System.Globalization;
using System.Text.Json;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Processes;

/// <summary>
/// The two process captures under ../shared/fixtures: 0.8.22 proc-live-backup-and-passphrase-wait (laid out like
/// /proc, with facts.json) and 3.1.0 ps-during-backup (ps captures, plus proc/PID-comm folders without stat or
/// uptime, rebuilt here into a /proc-style temporary root whose btime comes from the ps capture of the same moment).
/// </summary>
internal static class ProcFixtures
{
    public static string Live => Path.Combine(RepoPaths.Fixtures, "duplicity-0.8.22", "proc-live-backup-and-passphrase-wait");

    public static string PsDuringBackup => Path.Combine(RepoPaths.Fixtures, "duplicity-3.1.0", "ps-during-backup", "snapshots");

    public static DateTimeOffset CapturedAt(string snapshotDir)
        => DateTimeOffset.FromUnixTimeSeconds(long.Parse(File.ReadAllText(Path.Combine(snapshotDir, "captured_at_epoch_utc.txt")).Trim(), CultureInfo.InvariantCulture));

    public static JsonElement Facts(string snapshot)
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(Live, "facts.json"))).RootElement.GetProperty(snapshot);

    /// <summary>The recorded lockfile identities ("inode device maj:min path", device as the decimal st_dev) as a FileIdentity seam.</summary>
    public static Func<string, FileStatus?> LockfileIdentities(string snapshotDir)
    {
        var map = new Dictionary<string, FileStatus>();
        foreach (var line in File.ReadLines(Path.Combine(snapshotDir, "lockfile-inodes.txt")))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4) continue;
            var dev = ulong.Parse(parts[1], CultureInfo.InvariantCulture);
            map[parts[3]] = LockFile(ulong.Parse(parts[0], CultureInfo.InvariantCulture), dev);
        }
        return path => map.TryGetValue(path, out var id) ? id : null;
    }

    /// <summary>A recorded lockfile as the finder sees it: its inode, and its device from the st_dev it was recorded as (glibc's major and minor).</summary>
    public static FileStatus LockFile(ulong inode, ulong statDevice)
    {
        var major = (uint)(((statDevice >> 8) & 0xfff) | ((statDevice >> 32) & 0xfffff000));
        var minor = (uint)((statDevice & 0xff) | ((statDevice >> 12) & 0xffffff00));
        return new FileStatus(Mode: 0x8180, Owner: 0, Size: 0, Inode: inode, Links: 1, Device: ((ulong)major << 32) | minor);
    }

    /// <summary>
    /// Rebuilds a 3.1.0 snapshot as a /proc-style root: proc/PID-comm/* to PID/*, proc-locks.txt to locks, and a
    /// stat file whose btime is derived from ps: the start lies in [lstart, lstart + 1 s), so
    /// btime = ceil(lstart - starttime ticks / 100) (btime is whole seconds).
    /// </summary>
    public static string RebuildProcRoot(string snapshotDir, string into)
    {
        Directory.CreateDirectory(into);
        var ps = PsCapture.Read(Path.Combine(snapshotDir, "ps-eo-pid-ppid-user-lstart-etimes-args.txt"), TimeZoneInfo.Utc);
        long? btime = null;
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(snapshotDir, "proc")))
        {
            var pid = int.Parse(Path.GetFileName(dir).Split('-')[0], CultureInfo.InvariantCulture);
            var target = Directory.CreateDirectory(Path.Combine(into, pid.ToString(CultureInfo.InvariantCulture))).FullName;
            foreach (var file in Directory.EnumerateFiles(dir)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            var stat = ProcStat.TryParse(File.ReadAllText(Path.Combine(dir, "stat")).TrimEnd('\n'))!;
            if (btime is null && ps.FirstOrDefault(p => p.Pid == pid)?.StartUtc is { } lstart)
                btime = (long)Math.Ceiling(lstart.ToUnixTimeSeconds() - stat.StartTicks / ProcStat.TicksPerSecond);
        }
        File.WriteAllText(Path.Combine(into, "stat"), $"cpu  1 2 3 4\nbtime {btime!.Value.ToString(CultureInfo.InvariantCulture)}\nprocesses 1\n");
        File.Copy(Path.Combine(snapshotDir, "proc-locks.txt"), Path.Combine(into, "locks"));
        return into;
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dup-running-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
