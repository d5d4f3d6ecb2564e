namespace DuplicityChecks.Duplicity.Model;

/// <summary>
/// What a source knows about one backup (one destination / one archive-dir name): chains, incomplete and
/// orphaned sets, warnings, lock holder, and where it came from. Truth rules (design.md):
/// the last complete backup is the newest set whose manifest is final; the last backup is the end of the
/// primary chain; the last full is the start of the newest chain.
/// </summary>
public sealed record BackupCollection
{
    /// <summary>A short name for output: the archive-dir name (--name or md5 of the URL) or the job.</summary>
    public required string Name { get; init; }

    public required BackupSourceKind Source { get; init; }

    /// <summary>The file, directory or command the collection was read from (secrets masked by the caller).</summary>
    public required string SourceDescription { get; init; }

    /// <summary>duplicity's version when the source shows it.</summary>
    public string? DuplicityVersion { get; init; }

    public IReadOnlyList<BackupChain> Chains { get; init; } = [];

    /// <summary>Sets that are not complete: counted from .part manifests, or duplicity's incomplete-sets-num.</summary>
    public int IncompleteSets { get; init; }

    /// <summary>Backup sets not part of any chain (duplicity's orphaned-sets-num).</summary>
    public int OrphanedSets { get; init; }

    /// <summary>Incomplete sets known individually (archive dir: from the .part manifest names).</summary>
    public IReadOnlyList<BackupSet> IncompleteSetList { get; init; } = [];

    /// <summary>Warnings duplicity printed with the collection (orphaned signatures, missing difftars...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The running process that holds the lock, if known.</summary>
    public LockHolder? Lock { get; init; }

    /// <summary>
    /// Set when the source cannot tell which listed sets are the incomplete ones (3.1.0 lists an incomplete set as
    /// the newest row of its chain and also counts it in <see cref="IncompleteSets"/>). The facts below then take the
    /// worst case: see <see cref="Untrusted"/>.
    /// </summary>
    public bool NewestSetMayBeIncomplete { get; init; }

    public BackupChain? PrimaryChain => Chains.LastOrDefault(c => c.Kind == ChainKind.Primary);

    public int BackupSets => Chains.Sum(c => c.Sets.Count);

    public int Volumes => Chains.Sum(c => c.Volumes);

    /// <summary>Every set of every chain, oldest first.</summary>
    public IEnumerable<BackupSet> AllSets => Chains.SelectMany(c => c.Sets).OrderBy(s => s.Time);

    /// <summary>
    /// The newest set whose manifest is final. Prefers the primary chain (what duplicity would restore
    /// from); without one, the newest complete set of any chain.
    /// </summary>
    public BackupSet? LastCompleteBackup
    {
        get
        {
            var sets = PrimaryChain is { } p ? p.Sets : Chains.SelectMany(c => c.Sets);
            // One pass, no sort (a cache of 50,000 sets is read on every check): the newest complete set; on equal
            // times the later one, as the stable sort by time this replaces would pick.
            if (Untrusted(sets, static s => s.Complete) is not { } untrusted) return Newest(sets, static s => s.Complete);
            return Newest(sets, s => s.Complete && !untrusted.Contains(s));
        }
    }

    /// <summary>The newest complete full backup set (the start of the newest usable chain).</summary>
    public BackupSet? LastCompleteFull
    {
        get
        {
            var all = Chains.SelectMany(c => c.Sets);
            if (Untrusted(all, static s => s.IsFull && s.Complete) is not { } untrusted) return Newest(all, static s => s.IsFull && s.Complete);
            return Newest(all, s => s.IsFull && s.Complete && !untrusted.Contains(s));
        }
    }

    /// <summary>
    /// When <see cref="NewestSetMayBeIncomplete"/>: the candidates not trusted as complete, taking the worst case of
    /// which listed sets the counted incomplete ones are. An incomplete set is the end of its chain (duplicity
    /// resumes or restarts it before it adds another set to that chain), so the incomplete ones are among the chain
    /// ends; the worst case for a fact is that they are its newest candidate chain ends, as many as are counted
    /// (at least one). A 3.1.0 killed full listed as a chain of its own is such an end; so is the newest row of
    /// the primary chain. Null when every listed set is trusted.
    /// </summary>
    private HashSet<BackupSet>? Untrusted(IEnumerable<BackupSet> sets, Func<BackupSet, bool> candidate)
    {
        if (!NewestSetMayBeIncomplete) return null;
        var ends = new HashSet<BackupSet>(ReferenceEqualityComparer.Instance);
        foreach (var chain in Chains)
            if (Newest(chain.Sets, static _ => true) is { } end) ends.Add(end);
        var untrusted = new HashSet<BackupSet>(ReferenceEqualityComparer.Instance);
        foreach (var s in sets.Where(s => candidate(s) && ends.Contains(s)).OrderByDescending(s => s.Time).Take(Math.Max(1, IncompleteSets)))
            untrusted.Add(s);
        return untrusted;
    }

    /// <summary>The last of <paramref name="sets"/> matching, by time (ties: the later in order), like OrderBy(Time).LastOrDefault().</summary>
    private static BackupSet? Newest(IEnumerable<BackupSet> sets, Func<BackupSet, bool> match)
    {
        BackupSet? newest = null;
        foreach (var s in sets)
            if (match(s) && (newest is null || s.Time >= newest.Time)) newest = s;
        return newest;
    }
}
