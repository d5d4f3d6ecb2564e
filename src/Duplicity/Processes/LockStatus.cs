using System.Globalization;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>How a duplicity instance stands with its archive dir's <c>lockfile</c>.</summary>
public enum LockState
{
    /// <summary>/proc/locks shows this PID holding a POSIX lock on the lockfile (matched by device and inode).</summary>
    Holds,

    /// <summary>
    /// This PID holds a POSIX lock, but the lockfile could not be inspected here (not visible to this user,
    /// or a replayed capture): duplicity takes no other POSIX lock, yet the inode was not compared.
    /// </summary>
    HoldsUnverified,

    /// <summary>Another PID holds the lockfile: this instance is waiting or failing on it.</summary>
    HeldByOther,

    /// <summary>Nobody holds the lockfile (a run that has not locked yet, or one that does not lock).</summary>
    NotHeld,

    /// <summary>Cannot tell: no lock table (a ps capture) or no archive dir known.</summary>
    Unknown,
}

/// <summary>The lock side of one instance: the state, the lockfile path when known, the holder and the locked inode.</summary>
public sealed record LockStatus(LockState State, string? LockFile, int? HolderPid = null, ulong? Inode = null, string? Reason = null)
{
    public bool HeldBySelf => State is LockState.Holds or LockState.HoldsUnverified;

    public string Describe() => State switch
    {
        LockState.Holds => $"holds the lock {LockFile}",
        LockState.HoldsUnverified => $"holds a POSIX lock (inode {Inode?.ToString(CultureInfo.InvariantCulture)}); {LockFile ?? "the lockfile"} could not be compared here",
        LockState.HeldByOther => $"{LockFile} is held by PID {HolderPid?.ToString(CultureInfo.InvariantCulture)}: this instance is waiting or failing on the lock",
        LockState.NotHeld => LockFile is null ? "holds no lock" : $"does not hold {LockFile}",
        _ => $"lock not known: {Reason}",
    };
}
