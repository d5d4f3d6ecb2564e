using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Checks.Freshness;

/// <summary>What the freshness probe read (acquisition result): the backup collections, or why the destination could not be listed.</summary>
public sealed record FreshnessReading
{
    public IReadOnlyList<BackupCollection> Collections { get; init; } = [];

    /// <summary>
    /// duplicity could not list the destination (a backend error): a CRITICAL fact about the service, not a
    /// failure of the check. No collections then.
    /// </summary>
    public string? Unreachable { get; init; }

    /// <summary>
    /// The duplicity running for this backup, looked up in the process table when first asked (the scan costs a
    /// few milliseconds, so the evaluator asks only when a running backup could change its verdict). Offered for
    /// one named backup only (destination or --name): otherwise any duplicity could be taken for it.
    /// </summary>
    public Lazy<LockHolder?>? RunningBackup { get; init; }

    public static FreshnessReading Of(BackupCollection collection) => new() { Collections = [collection] };
}
