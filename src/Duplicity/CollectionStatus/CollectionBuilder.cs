using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// What both collection-status parsers gather (chains, counts, warnings, archive-dir name, version), turned into a
/// <see cref="BackupCollection"/> once the whole listing has been read.
/// </summary>
internal sealed class CollectionBuilder
{
    private readonly List<BackupChain> _chains = [];
    private readonly List<string> _warnings = [];
    // The open chain's sets, in one list reused for every chain; the chain keeps an exact-size copy (10,000 sets
    // in 1,429 chains made a list and its grown arrays per chain, issue 6).
    private readonly List<BackupSet> _currentSets = [];
    private bool _chainOpen;
    private ChainKind _currentKind;

    public int OrphanedSets { get; set; }

    public int IncompleteSets { get; set; }

    /// <summary>The last path component of the "Archive dir:" line (the backup name), when shown.</summary>
    public string? ArchiveName { get; set; }

    public string? DuplicityVersion { get; set; }

    /// <summary>≤ 3.0.4's "Warning, found incomplete backup sets, probably left from aborted session" was seen.</summary>
    public bool OldIncompleteWarningSeen { get; set; }

    public int SecondaryChainCount { get; private set; }

    public void StartChain(ChainKind kind)
    {
        _currentKind = kind;
        _currentSets.Clear();
        _chainOpen = true;
        if (kind == ChainKind.Secondary) SecondaryChainCount++;
    }

    /// <summary>Adds the next set (oldest first) to the open chain; an incremental starts where the previous set ended.</summary>
    public void AddSet(BackupSetType type, DateTimeOffset time, int volumes, bool? encrypted)
    {
        if (!_chainOpen) throw new InvalidOperationException("no chain open");
        var sets = _currentSets;
        var start = type == BackupSetType.Incremental && sets.Count > 0 ? sets[^1].Time : (DateTimeOffset?)null;
        sets.Add(new BackupSet(type, time, volumes, encrypted, Complete: true, StartTime: start));
    }

    public bool ChainOpen => _chainOpen;

    public int OpenChainSetCount => _chainOpen ? _currentSets.Count : 0;

    /// <summary>
    /// Closes the open chain. duplicity prints a chain as its full set followed by its incrementals, oldest first:
    /// anything else (no sets, no full first, a second full, times not rising) is damaged text, and reading it
    /// anyway could move the last backup (a byte flip in a middle row's hour made it the newest).
    /// </summary>
    public void EndChain(string where)
    {
        if (!_chainOpen) return;
        if (_currentSets.Count == 0)
            throw new Plugin.CheckException($"{where}: a backup chain with no backup sets in it");
        if (!_currentSets[0].IsFull)
            throw new Plugin.CheckException($"{where}: a backup chain that does not start with a full backup");
        for (var i = 1; i < _currentSets.Count; i++)
        {
            if (_currentSets[i].IsFull)
                throw new Plugin.CheckException($"{where}: a backup chain with a second full backup in it");
            if (_currentSets[i].Time <= _currentSets[i - 1].Time)
                throw new Plugin.CheckException($"{where}: a backup chain whose sets are not in time order ({DuplicityTime.Format(_currentSets[i].Time)} after {DuplicityTime.Format(_currentSets[i - 1].Time)})");
        }
        _chains.Add(new BackupChain(_currentKind, _currentSets.ToArray()));
        _chainOpen = false;
    }

    public void AddWarning(string text)
    {
        if (text.Length > 0 && !_warnings.Contains(text)) _warnings.Add(text);
    }

    /// <summary>Forget everything but the warnings: the listing is printed again (-v8 prints it twice).</summary>
    public void ResetListing()
    {
        _chains.Clear();
        _chainOpen = false;
        OrphanedSets = IncompleteSets = SecondaryChainCount = 0;
        ArchiveName = null;
    }

    public BackupCollection Build(BackupSourceKind source, string sourceDescription, string? name)
    {
        var listed = 0;
        foreach (var c in _chains) listed += c.Sets.Count;
        return new BackupCollection
        {
            Name = !string.IsNullOrEmpty(name) ? name : ArchiveName ?? "collection-status",
            Source = source,
            SourceDescription = sourceDescription,
            DuplicityVersion = DuplicityVersion,
            Chains = _chains.ToArray(),
            IncompleteSets = IncompleteSets,
            OrphanedSets = OrphanedSets,
            Warnings = _warnings.ToArray(),
            NewestSetMayBeIncomplete = IncompleteSetRule.NewestSetMayBeIncomplete(IncompleteSets, listed, OldIncompleteWarningSeen, DuplicityVersion),
        };
    }

    /// <summary>The backup name from "Archive dir: /root/.cache/duplicity/&lt;name&gt;" ("None" = no archive dir).</summary>
    public static string? NameFromArchiveDir(string path)
    {
        var p = path.Trim().TrimEnd('/');
        if (p.Length == 0 || p == "None") return null;
        var slash = p.LastIndexOf('/');
        return slash >= 0 ? p[(slash + 1)..] : p;
    }
}
