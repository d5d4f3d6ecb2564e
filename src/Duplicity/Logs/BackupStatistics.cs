namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// The <c>--------------[ Backup Statistics ]--------------</c> block a successful backup prints (force-printed at
/// every verbosity, the same keys in 0.8.22 to 3.1.0; the labels stay English when the rest is German), as read by
/// <see cref="StatisticsBlockParser"/>:
/// <code>
/// StartTime 1795688184.00 (Thu Nov 26 10:16:24 2026)     epoch, then local time in parentheses
/// EndTime ... / ElapsedTime 0.01 (0.01 seconds)
/// SourceFiles 3 / SourceFileSize 12021390 (11.5 MB) / NewFiles / NewFileSize / DeletedFiles / ChangedFiles /
/// ChangedFileSize / ChangedDeltaSize / DeltaEntries / RawDeltaSize / TotalDestinationSizeChange 299 (299 bytes)
/// Errors 0
/// -------------------------------------------------
/// </code>
/// A value is null when its line is missing or unreadable.
/// </summary>
public sealed record BackupStatistics
{
    public double? StartTime { get; init; }
    public double? EndTime { get; init; }
    public double? ElapsedTime { get; init; }
    public long? SourceFiles { get; init; }
    public long? SourceFileSize { get; init; }
    public long? NewFiles { get; init; }
    public long? NewFileSize { get; init; }
    public long? DeletedFiles { get; init; }
    public long? ChangedFiles { get; init; }
    public long? ChangedFileSize { get; init; }
    public long? ChangedDeltaSize { get; init; }
    public long? DeltaEntries { get; init; }
    public long? RawDeltaSize { get; init; }
    public long? TotalDestinationSizeChange { get; init; }
    public long? Errors { get; init; }

    /// <summary>The block ended with its closing dashes (not cut off by the end of the file).</summary>
    public bool Closed { get; init; }

    /// <summary>Nothing was read after the heading.</summary>
    public bool IsEmpty { get; init; }

    /// <summary>
    /// What is wrong with the block, or null when it is exactly what duplicity prints: the heading, every key of
    /// 0.8.22 to 3.1.0 once and in order, each value and its part in parentheses as statistics.py writes them,
    /// the closing dashes. A block that does not read completely proves nothing (a cut or garbled <c>Errors</c>
    /// line can hide errors), so only an intact block is a success.
    /// </summary>
    public string? DamageReason { get; init; }

    /// <summary>The line that showed the damage, as written (null when the damage is a missing line).</summary>
    public string? DamagedLine { get; init; }

    /// <summary>A block is usable when it is intact (which includes its <c>Errors</c> line).</summary>
    public bool IsComplete => DamageReason is null && Errors is not null;
}
