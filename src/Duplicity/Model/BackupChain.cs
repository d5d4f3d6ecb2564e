namespace DuplicityChecks.Duplicity.Model;

public enum ChainKind
{
    /// <summary>The chain collection-status matched with a signature chain (the newest one in use).</summary>
    Primary,

    /// <summary>Any other chain (older chains, or chains without matching signatures).</summary>
    Secondary,
}

/// <summary>A full backup set followed by its incrementals, oldest first.</summary>
public sealed record BackupChain(ChainKind Kind, IReadOnlyList<BackupSet> Sets)
{
    public DateTimeOffset Start => Sets[0].Time;

    public DateTimeOffset End => Sets[^1].Time;

    public int Volumes => Sets.Sum(s => s.Volumes);

    /// <summary>The newest set of this chain whose manifest is final.</summary>
    public BackupSet? LastComplete => Sets.LastOrDefault(s => s.Complete);

    public BackupSet? Full => Sets.FirstOrDefault(s => s.IsFull);
}
