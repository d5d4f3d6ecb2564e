using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>The chains built from a set list, the incrementals that fit no chain, and those another replaced.</summary>
public sealed record ChainBuildResult(IReadOnlyList<BackupChain> Chains, IReadOnlyList<BackupSet> Orphaned, IReadOnlyList<BackupSet> Superseded);

/// <summary>
/// Builds chains the way duplicity does (<c>CollectionsStatus.get_backup_chains</c> and
/// <c>BackupChain.add_inc</c>, unchanged from 0.7 to 3.1): sets sorted by time (a full's time, an
/// incremental's end time); a full starts a new chain; an incremental T1→T2 joins the first chain (oldest
/// first) that ends at T1, or replaces that chain's last incremental when both start at the same T1 and the
/// new one ends later ("Preferring Backupset over previous one"); an incremental no chain accepts is orphaned.
/// The newest chain is the primary one: in the cache every chain's full has a final manifest and its
/// signatures beside it, so there is nothing else to match (documented simplification of
/// <c>set_matched_chain_pair</c>). Only complete sets go in; incomplete ones are counted apart.
/// </summary>
public static class ChainBuilder
{
    public static ChainBuildResult Build(IEnumerable<BackupSet> completeSets)
    {
        var sorted = completeSets
            .OrderBy(s => s.Time)
            .ThenBy(s => s.IsFull ? 0 : 1)
            .ThenBy(s => s.StartTime ?? DateTimeOffset.MinValue)
            .ToList();
        var chains = new List<List<BackupSet>>();
        var orphaned = new List<BackupSet>();
        var superseded = new List<BackupSet>();
        foreach (var set in sorted)
        {
            if (set.IsFull)
            {
                chains.Add([set]);
                continue;
            }
            if (!TryAdd(chains, set, superseded)) orphaned.Add(set);
        }
        var result = chains
            .Select((sets, i) => new BackupChain(i == chains.Count - 1 ? ChainKind.Primary : ChainKind.Secondary, sets))
            .ToList();
        return new ChainBuildResult(result, orphaned, superseded);
    }

    private static bool TryAdd(List<List<BackupSet>> chains, BackupSet inc, List<BackupSet> superseded)
    {
        foreach (var chain in chains)
        {
            var end = chain[^1].Time;
            if (inc.StartTime == end)
            {
                chain.Add(inc);
                return true;
            }
            var last = chain[^1];
            if (chain.Count > 1 && inc.StartTime == last.StartTime && inc.Time > last.Time)
            {
                superseded.Add(last);
                chain[^1] = inc;
                return true;
            }
        }
        return false;
    }
}
