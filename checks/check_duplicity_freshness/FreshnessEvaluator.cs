using System.Globalization;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Freshness;

/// <summary>
/// Evaluates backup collections against the freshness thresholds (evaluation phase): age of the last
/// complete backup and of the last full, incomplete and orphaned sets, a running backup. The only place that
/// judges the thresholds: the probe reads, and offers the process-table lookup for a running backup on demand.
/// </summary>
/// <param name="verbosity">The -v count: one OK line per chain is made only when it will be shown (-v); at default
/// verbosity OK lines are never printed, and formatting 7,000 chains of a big cache took ~5% of the run.</param>
public sealed class FreshnessEvaluator(FreshnessOptions options, DateTimeOffset now, int verbosity) : IEvaluator<FreshnessReading>
{
    public CheckResult Evaluate(FreshnessReading reading)
    {
        if (reading.Unreachable is { } why)
        {
            var unreachable = new CheckResult(why);
            unreachable.Add(why, ServiceState.Critical);
            unreachable.Hint(options.Fixes.CollectionStatus);
            return unreachable;
        }
        var collections = reading.Collections;
        var result = new CheckResult();
        if (collections.Count == 0)
        {
            result.Add("no duplicity backup found in the archive dir", ServiceState.Critical);
            result.Summary = "no duplicity backup found";
            return result;
        }
        var several = collections.Count > 1;
        var summaries = new List<(ServiceState State, string Text)>();
        foreach (var c in collections)
        {
            var node = new SubCheck(several ? $"backup {c.Name}" : $"backup {c.Name} ({SourceText(c)})");
            var summary = EvaluateOne(c, node, result, several ? c.Name + "_" : "", reading.RunningBackup);
            result.Add(node);
            summaries.Add((node.State, several ? $"{c.Name}: {summary}" : summary));
        }
        result.Summary = several
            ? $"{collections.Count} backups: " + string.Join("; ", summaries.OrderByDescending(s => s.State.Severity()).Select(s => s.Text))
            : summaries[0].Text;
        return result;
    }

    private string EvaluateOne(BackupCollection c, SubCheck node, CheckResult result, string prefix, Lazy<LockHolder?>? runningBackup)
    {
        var problems = new List<string>();
        var last = c.LastCompleteBackup;
        var full = c.LastCompleteFull;
        double? lastAge = last is null ? null : Math.Max(0, (now - last.Time).TotalSeconds);
        double? fullAge = full is null ? null : Math.Max(0, (now - full.Time).TotalSeconds);
        ServiceState? lastState = lastAge is { } age ? options.Age.Evaluate(age) : null;
        var running = c.Lock ?? (MayBeRunning(c, lastState) ? runningBackup?.Value : null);
        string text;

        if (last is null)
        {
            var why = c.IncompleteSets > 0 ? $" ({Count(c.IncompleteSets, "incomplete set")})" : c.Chains.Count == 0 ? "" : " (no set is complete)";
            node.Add($"no complete backup{why}", ServiceState.Critical);
            text = $"no complete backup{why}";
        }
        else
        {
            var state = lastState!.Value;
            var limit = state == ServiceState.Ok ? "" : $" (limit {Limit(state == ServiceState.Critical ? options.Age.Critical : options.Age.Warning)})";
            if (state == ServiceState.Critical && running is { Since: { } since } && options.RunningGraceSeconds is { } grace && (now - since).TotalSeconds < grace)
            {
                state = ServiceState.Warning;
                limit += $", softened: backup running for {Duration.Format((now - since).TotalSeconds)}";
            }
            var lastText = $"last backup {Duration.Format(lastAge!.Value)} ago ({last.TypeName}, {Stamp(last.Time)}){limit}";
            node.Add(lastText, state);
            text = lastText;
            if (last.Time > now.AddMinutes(5))
                node.Add($"newest backup is {Duration.Format((last.Time - now).TotalSeconds)} in the future (clock skew?)", ServiceState.Warning);
        }

        if (full is not null)
        {
            var fullState = options.FullAge.Evaluate(fullAge!.Value);
            var limit = fullState == ServiceState.Ok ? "" : $" (limit {Limit(fullState == ServiceState.Critical ? options.FullAge.Critical : options.FullAge.Warning)})";
            node.Add($"last full {Duration.Format(fullAge.Value)} ago ({Stamp(full.Time)}){limit}", fullState);
            text += $", last full {Duration.Format(fullAge.Value)} ago{limit}";
        }

        if (last is not null && c.Chains.Count > 0 && c.PrimaryChain is null)
        {
            // duplicity found backups but no chain whose signatures match: it cannot add incrementals to
            // them, and restores from them may be incomplete.
            node.Add("no backup chain with matching signatures (the next run starts a new full)", ServiceState.Warning);
            problems.Add("no primary chain");
        }

        if (running is not null)
        {
            var since = running.Since is { } s ? $" since {Stamp(s)}" : "";
            node.Add($"backup in progress{since} (PID {running.Pid.ToString(CultureInfo.InvariantCulture)}, holds {running.LockFile})", ServiceState.Ok);
            problems.Add($"backup in progress{since} (PID {running.Pid.ToString(CultureInfo.InvariantCulture)})");
        }

        if (c.IncompleteSets > 0)
        {
            // A running backup's own .part set is expected; after the run it is an interrupted backup.
            var state = running is null ? options.IncompleteState : ServiceState.Ok;
            var what = Count(c.IncompleteSets, "incomplete backup set");
            node.Add(running is null ? $"{what} (an interrupted backup; the next run resumes or restarts it)" : $"{what} (the running backup)", state);
            if (state != ServiceState.Ok)
            {
                if (last is not null) problems.Add(what); // else the summary already names them
                result.Hint($"{options.Fixes.Cleanup}   (after checking that no backup runs; or let the next run resume)");
            }
        }

        if (c.OrphanedSets > 0)
        {
            var what = Count(c.OrphanedSets, "orphaned backup set");
            node.Add($"{what} (not part of any chain)", options.OrphanedState);
            if (options.OrphanedState != ServiceState.Ok)
            {
                problems.Add(what);
                result.Hint(options.Fixes.Cleanup);
            }
        }

        foreach (var w in c.Warnings) node.Add($"duplicity: {w}", ServiceState.Ok, detail: true);
        if (verbosity > 0)
            foreach (var chain in c.Chains) node.Add(Describe(chain), ServiceState.Ok, detail: true);

        var threshold = options.Age;
        result.PerfData.Add(PerfDatum.WithThreshold(prefix + "last_backup_age", lastAge is null ? null : Math.Round(lastAge.Value), "s", threshold, min: 0));
        result.PerfData.Add(PerfDatum.WithThreshold(prefix + "last_full_age", fullAge is null ? null : Math.Round(fullAge.Value), "s", options.FullAge, min: 0));
        result.PerfData.Add(new PerfDatum(prefix + "chains", c.Chains.Count, Min: 0));
        result.PerfData.Add(new PerfDatum(prefix + "backup_sets", c.BackupSets, Min: 0));
        result.PerfData.Add(new PerfDatum(prefix + "volumes", c.Volumes, Min: 0));
        result.PerfData.Add(new PerfDatum(prefix + "incomplete_sets", c.IncompleteSets, Min: 0));
        result.PerfData.Add(new PerfDatum(prefix + "orphaned_sets", c.OrphanedSets, Min: 0));

        return problems.Count == 0 ? text : text + "; " + string.Join("; ", problems);
    }

    /// <summary>
    /// Whether a running backup could change the verdict: the last backup is stale or missing, or an incomplete
    /// set might be the running one. A fresh backup with nothing incomplete needs no process-table scan (the
    /// scan costs a few milliseconds on every run).
    /// </summary>
    private static bool MayBeRunning(BackupCollection c, ServiceState? lastState)
        => c.IncompleteSets > 0 || lastState is not ServiceState.Ok;

    private string Describe(BackupChain chain)
    {
        var incs = chain.Sets.Count - 1;
        var kind = chain.Kind == ChainKind.Primary ? "primary chain" : "secondary chain";
        var partial = chain.Sets.Count(s => !s.Complete);
        return $"{kind}: full {Stamp(chain.Start)}, {Count(incs, "incremental")}, last {Stamp(chain.End)}, {Count(chain.Volumes, "volume")}"
            + (partial > 0 ? $", {partial} not complete" : "");
    }

    private static string SourceText(BackupCollection c) => c.Source switch
    {
        BackupSourceKind.ArchiveDir => "archive dir",
        BackupSourceKind.StatusText => "collection-status text",
        BackupSourceKind.MachineLog => "collection-status machine log",
        _ => "live collection-status",
    };

    private static string Limit(ThresholdRange? range)
        => range is { } r && r.IsPlainUpperBound ? Duration.Format(r.End) : range?.ToString() ?? "";

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
