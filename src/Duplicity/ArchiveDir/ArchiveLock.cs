using DuplicityChecks.Duplicity.Locks;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// Who holds an archive dir's <c>lockfile</c> (0.7.13+: <c>fcntl.lockf</c>, a POSIX lock, duplicity-formats.md
/// §5.3): the file's inode and device matched in <c>&lt;procRoot&gt;/locks</c>. A lockfile nobody holds is not a
/// lock (0.8+ leaves it behind after a crash and the kernel already dropped the lock), so it gives null.
/// </summary>
public static class ArchiveLock
{
    /// <summary>The holder of <c>&lt;backupDirectory&gt;/lockfile</c>, or null when there is no file or no holder.</summary>
    /// <param name="locks">/proc/locks already read (one read serves many folders); read from <paramref name="procRoot"/> when null.</param>
    public static LockHolder? Holder(string backupDirectory, string procRoot = "/proc", IReadOnlyList<ProcLockEntry>? locks = null)
    {
        var path = Path.Combine(backupDirectory, ArchiveDirListing.LockFileName);
        if (FileStatus.OfName(path) is not { } id) return null;
        locks ??= ProcLocks.Read(procRoot);
        if (ProcLocks.HolderOf(locks, id) is not { } pid) return null;
        return new LockHolder(pid, path, ProcessDetails.StartTime(procRoot, pid), ProcessDetails.CommandLine(procRoot, pid));
    }
}
