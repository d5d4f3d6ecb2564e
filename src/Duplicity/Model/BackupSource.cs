namespace DuplicityChecks.Duplicity.Model;

/// <summary>Where a <see cref="BackupCollection"/> was read from.</summary>
public enum BackupSourceKind
{
    /// <summary>The local archive dir (cache), read offline.</summary>
    ArchiveDir,

    /// <summary>The human text of a saved <c>duplicity collection-status</c>.</summary>
    StatusText,

    /// <summary>The machine-readable <c>--log-fd</c> / <c>--log-file</c> form of collection-status.</summary>
    MachineLog,

    /// <summary>A live <c>duplicity collection-status</c> run by the check (machine log).</summary>
    LiveRun,
}
