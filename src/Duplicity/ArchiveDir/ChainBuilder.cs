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
/// Chains are looked up by end time (and by last start time), not scanned: a cache can hold thousands.
/// </summary>
public static class ChainBuilder
{
    public static ChainBuildResult Build(IEnumerable<BackupSet> completeSets)
    {
        var sorted = completeSets.ToArray();
        Array.Sort(sorted, CompareForChaining);
        var chains = new List<List<BackupSet>>();
        var byEnd = new ChainIndex();        // chain end time -> chains (oldest first)
        var byLastStart = new ChainIndex();  // start of a chain's last incremental -> chains
        var orphaned = new List<BackupSet>();
        var superseded = new List<BackupSet>();
        foreach (var set in sorted)
        {
            if (set.IsFull)
            {
                chains.Add([set]);
                byEnd.Add(set.Time, chains.Count - 1);
                continue;
            }
            var start = set.StartTime ?? DateTimeOffset.MinValue;
            var appendTo = byEnd.First(start);
            var replaceIn = byLastStart.First(start, (chains, set.Time));
            // The oldest chain that takes it, whichever of the two rules applies (upstream tries both per chain, in order).
            var target = Math.Min(appendTo ?? int.MaxValue, replaceIn ?? int.MaxValue);
            if (target == int.MaxValue)
            {
                orphaned.Add(set);
                continue;
            }
            var chain = chains[target];
            var last = chain[^1];
            byEnd.Remove(last.Time, target);
            if (target == appendTo)
            {
                if (!last.IsFull) byLastStart.Remove(last.StartTime ?? DateTimeOffset.MinValue, target);
                chain.Add(set);
            }
            else
            {
                byLastStart.Remove(start, target);
                superseded.Add(last);
                chain[^1] = set;
            }
            byEnd.Add(set.Time, target);
            byLastStart.Add(start, target);
        }
        var result = new List<BackupChain>(chains.Count);
        for (var i = 0; i < chains.Count; i++)
            result.Add(new BackupChain(i == chains.Count - 1 ? ChainKind.Primary : ChainKind.Secondary, chains[i]));
        return new ChainBuildResult(result, orphaned, superseded);
    }

    // Upstream sorts by time only (a stable sort of the listing order); fulls first and then start time make
    // ties deterministic.
    private static int CompareForChaining(BackupSet a, BackupSet b)
    {
        var c = a.Time.CompareTo(b.Time);
        if (c != 0) return c;
        c = (a.IsFull ? 0 : 1).CompareTo(b.IsFull ? 0 : 1);
        return c != 0 ? c : Nullable.Compare(a.StartTime, b.StartTime);
    }

    /// <summary>Time -> chain numbers in ascending order; emptied lists are reused (keys move with every set).</summary>
    private sealed class ChainIndex
    {
        private readonly Dictionary<DateTimeOffset, List<int>> _map = [];
        private readonly Stack<List<int>> _free = new();

        /// <summary>The oldest chain under <paramref name="key"/>; with <paramref name="laterThan"/>, only one whose last set ends before that time.</summary>
        public int? First(DateTimeOffset key, (List<List<BackupSet>> Chains, DateTimeOffset Time)? laterThan = null)
        {
            if (!_map.TryGetValue(key, out var list)) return null;
            foreach (var i in list)
                if (laterThan is not { } l || l.Time > l.Chains[i][^1].Time) return i;
            return null;
        }

        public void Add(DateTimeOffset key, int chain)
        {
            if (!_map.TryGetValue(key, out var list)) _map[key] = list = _free.Count > 0 ? _free.Pop() : [];
            var at = list.BinarySearch(chain);
            if (at < 0) list.Insert(~at, chain);
        }

        public void Remove(DateTimeOffset key, int chain)
        {
            if (!_map.TryGetValue(key, out var list) || !list.Remove(chain) || list.Count > 0) return;
            _map.Remove(key);
            _free.Push(list);
        }
    }
}
