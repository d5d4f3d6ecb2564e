namespace DuplicityChecks.Duplicity.Model;

/// <summary>
/// A process holding duplicity's <c>lockfile</c> (a POSIX lock seen in <c>/proc/locks</c>): a backup (or
/// another duplicity action) is running on this archive dir now.
/// </summary>
public sealed record LockHolder(int Pid, string LockFile, DateTimeOffset? Since = null, string? Command = null);
