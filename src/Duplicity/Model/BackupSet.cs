namespace DuplicityChecks.Duplicity.Model;

public enum BackupSetType
{
    Full,
    Incremental,
}

/// <summary>
/// One backup set: a full, or an incremental from <see cref="StartTime"/> to <see cref="Time"/>.
/// <see cref="Time"/> is the full's time or the incremental's END time, in UTC (the time duplicity prints).
/// <see cref="Complete"/> is false when the set's manifest is still a <c>.part</c> file (a running or
/// interrupted backup); such a set never counts as the last complete backup.
/// </summary>
public sealed record BackupSet(
    BackupSetType Type,
    DateTimeOffset Time,
    int Volumes,
    bool? Encrypted = null,
    bool Complete = true,
    DateTimeOffset? StartTime = null)
{
    public bool IsFull => Type == BackupSetType.Full;

    public string TypeName => IsFull ? "full" : "incremental";
}
