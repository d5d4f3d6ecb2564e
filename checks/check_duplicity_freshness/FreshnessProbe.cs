using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.ArchiveDir.Cache;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Live;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Freshness;

/// <summary>
/// Chooses the source and reads the backup collections (acquisition): a saved collection-status file, else
/// the archive dir (offline, preferred on the backup host), else a live collection-status run.
/// </summary>
public sealed class FreshnessProbe(FreshnessOptions options, PluginContext context) : IProbe<FreshnessReading>
{
    public async Task<FreshnessReading> ReadAsync()
    {
        if (options.StatusFile is { } file)
        {
            using (context.Stage($"reading the collection-status file {file}"))
                return FreshnessReading.Of(StatusFileReader.Read(file, options.TimeZone, options.JobName));
        }
        IReadOnlyList<BackupCollection> collections;
        if (options.ArchiveDir is { } dir)
        {
            using (context.Stage($"reading the archive dir {dir}"))
                collections = [.. ArchiveDirScanner.Scan(dir, options.BackupName, options.Destination, options.ProcRoot, cancellationToken: context.Cancellation, cache: ListingCache()).Select(b => b.Collection)];
        }
        else if (options.Destination is { } destination)
        {
            var live = await LiveAsync(destination).ConfigureAwait(false);
            if (live.Unreachable is not null) return live;
            collections = live.Collections;
        }
        else
            throw new UsageException("give --archive-dir, --status-file or --destination (or a --job that sets them)");
        foreach (var c in collections) LogDecisions(c);
        if (context.Log.IsDebug)
            foreach (var c in collections)
                context.Log.Debug("{Name:l}: {Chains} chain(s), {Sets} set(s), {Incomplete} incomplete, {Orphaned} orphaned, lock {Lock:l}", c.Name, c.Chains.Count, c.BackupSets, c.IncompleteSets, c.OrphanedSets, c.Lock is null ? "free" : $"held by PID {c.Lock.Pid}");
        var named = options.Destination is not null || options.BackupName is not null;
        return new FreshnessReading
        {
            Collections = collections,
            RunningBackup = collections.Count == 1 && named ? new Lazy<LockHolder?>(RunningBackup, LazyThreadSafetyMode.None) : null,
        };
    }

    private ListingCache? ListingCache() => options.ListingCache is { } dir ? new ListingCache(dir, context.Log) : null;

    /// <summary>What the parsers decided, for -vvv: every set as read, and which ones count as complete.</summary>
    private void LogDecisions(BackupCollection c)
    {
        // The arguments cost a string per set even when nothing is logged: 50,000 sets of a big cache took
        // 11 MiB and 60 ms (issue 6 benchmarks).
        if (!context.Log.IsVerbose) return;
        context.Log.Verbose("{Name:l}: read from {Source:l} ({Kind:l}), duplicity version {Version:l}", c.Name, c.SourceDescription, c.Source.ToString(), c.DuplicityVersion ?? "unknown");
        foreach (var chain in c.Chains)
            foreach (var set in chain.Sets)
                context.Log.Verbose("  {Chain:l} chain: {Type:l} {Time:l}, {Volumes} volume(s), {Complete:l}", chain.Kind.ToString().ToLowerInvariant(), set.TypeName, set.Time.ToString("u", System.Globalization.CultureInfo.InvariantCulture), set.Volumes, set.Complete ? "complete" : "not complete");
        foreach (var set in c.IncompleteSetList)
            context.Log.Verbose("  incomplete: {Type:l} {Time:l} (.part manifest)", set.TypeName, set.Time.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        if (c.NewestSetMayBeIncomplete)
            context.Log.Verbose("  incomplete sets are counted and this duplicity lists them in chains (3.1-era): the newest chain ends, {Count} per fact, are not trusted as complete", Math.Max(1, c.IncompleteSets));
        foreach (var w in c.Warnings) context.Log.Verbose("  duplicity warned: {Warning:l}", w);
        context.Log.Verbose("  last complete backup: {Last:l}; last complete full: {Full:l}", c.LastCompleteBackup?.Time.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "none", c.LastCompleteFull?.Time.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "none");
    }

    /// <summary>
    /// A duplicity for this backup running now (found in the process table), for "backup in progress since T":
    /// the lock shows it too, but a monitoring user may not see the lock file, and a live run has none.
    /// </summary>
    private LockHolder? RunningBackup()
    {
        using (context.Stage($"looking for a running duplicity in {options.ProcRoot}"))
        {
            try
            {
                var filter = new ProcessFilter(options.Destination, options.ArchiveDir, options.BackupName);
                var found = DuplicityProcessFinder.Find(options.ProcRoot, filter, context.Now)
                    .FirstOrDefault(p => p.Arguments.Action is "full" or "incremental" or "backup");
                return found is null ? null : new LockHolder(found.Pid, found.LockFile ?? "the lock", found.StartUtc, context.Secrets.Mask(found.Process.CommandLine));
            }
            catch (CheckException e)
            {
                // The process table is a hint here, not the source of truth: never fail the freshness check on it.
                context.Log.Debug("process table not readable: {Reason:l}", e.Message);
                return null;
            }
        }
    }

    private async Task<FreshnessReading> LiveAsync(string destination)
    {
        var invocation = new CollectionStatusInvocation(destination, options.Duplicity, null, options.BackupName, options.SudoUser);
        CollectionStatusRun run;
        using (context.Stage("waiting for duplicity collection-status"))
            run = await CollectionStatusRunner.RunAsync(invocation, context.Log, context.Secrets, context.Cancellation).ConfigureAwait(false);

        if (run.ExitCode == 0)
            return FreshnessReading.Of(MachineStatusParser.Parse(run.MachineLog, run.CommandLine, options.JobName, BackupSourceKind.LiveRun));
        if (run.LockHeld)
        {
            // A backup holds the lock: read its archive dir instead, when we can find it.
            if (DefaultArchiveDir() is { } cache && Directory.Exists(cache))
            {
                context.Log.Debug("collection-status found the lock held; reading {Cache:l} instead", cache);
                return FreshnessReading.Of(ArchiveDirScanner.Scan(cache, options.BackupName, destination, options.ProcRoot, cancellationToken: context.Cancellation)[0].Collection);
            }
            throw new CheckException("backup in progress: another duplicity holds the lock, so collection-status cannot list the backups (give --archive-dir to read the cache while a backup runs)");
        }
        if (run.SudoRefused)
            throw new CheckException($"sudo refused to run duplicity as {options.SudoUser}: {run.Stderr.Trim()} (add a NOPASSWD sudoers rule for {options.Duplicity})");
        var reason = run.FirstError() ?? $"exit code {run.ExitCode}";
        // duplicity's backend codes (50-55, and 23 with BackendException up to 3.0.5): the destination itself failed.
        if (run.ExitCode is >= 50 and <= 56 || reason.Contains("BackendException", StringComparison.Ordinal))
            return new FreshnessReading { Unreachable = $"cannot list the destination: {reason}" };
        throw new CheckException($"duplicity collection-status failed (exit {run.ExitCode}): {reason}");
    }

    /// <summary>duplicity's default archive dir for this user: $XDG_CACHE_HOME/duplicity or ~/.cache/duplicity.</summary>
    private string? DefaultArchiveDir()
    {
        if (options.SudoUser is not null) return null; // another user's home: not ours to guess
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "duplicity");
        var home = Environment.GetEnvironmentVariable("HOME");
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "duplicity");
    }
}
