using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>What a duplicity file holds.</summary>
public enum ArchiveFileKind
{
    /// <summary><c>duplicity-full.T.manifest</c> / <c>duplicity-inc.T1.to.T2.manifest</c>: one per backup set.</summary>
    Manifest,

    /// <summary><c>...vol N.difftar</c>: a data volume (never in the cache, only at the destination).</summary>
    Volume,

    /// <summary><c>duplicity-full-signatures.T.sigtar</c> / <c>duplicity-new-signatures.T1.to.T2.sigtar</c>.</summary>
    Signature,

    /// <summary><c>duplicity-full.T.jsonstat</c> / <c>duplicity-inc.T1.to.T2.jsonstat</c> (2.1+, <c>--jsonstat</c>).</summary>
    JsonStat,
}

/// <summary>
/// One parsed duplicity file name (duplicity-formats.md §5.2, upstream <c>file_naming.parse</c>).
/// <see cref="Time"/> is the full's time or the incremental's END time (T2), in UTC; <see cref="StartTime"/>
/// is an incremental's T1. <see cref="Partial"/> is the <c>.part</c> (long) / <c>.p</c> (short) marker of a
/// file still being written, or left by a killed run. Parse with <see cref="ArchiveFileNameParser.TryParse"/>.
/// </summary>
public readonly record struct ArchiveFileName(
    ArchiveFileKind Kind,
    BackupSetType Type,
    DateTimeOffset Time,
    DateTimeOffset? StartTime,
    int? Volume,
    bool Partial,
    bool Encrypted,
    bool Compressed,
    bool ShortName,
    int PrefixLength)
{
    public bool IsFull => Type == BackupSetType.Full;

    /// <summary>The identity of the backup set the file belongs to: type, start (incrementals) and time.</summary>
    public (BackupSetType Type, DateTimeOffset? Start, DateTimeOffset Time) SetKey => (Type, StartTime, Time);

    public static bool TryParse(ReadOnlySpan<char> name, out ArchiveFileName result) => ArchiveFileNameParser.TryParse(name, out result);

    /// <summary>The parsed name, or null when it is not a duplicity file name (lockfile, progress, anything else).</summary>
    public static ArchiveFileName? Parse(string name) => ArchiveFileNameParser.TryParse(name, out var r) ? r : null;
}
