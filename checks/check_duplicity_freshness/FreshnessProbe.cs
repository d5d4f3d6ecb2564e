using DuplicityChecks.Duplicity.ArchiveDir;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Live;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks;

/// <summary>
/// Chooses the source and reads the backup collections (acquisition): a saved collection-status file, else
/// the archive dir (offline, preferred on the backup host), else a live collection-status run.
/// </summary>
public sealed class FreshnessProbe(FreshnessOptions options, PluginContext context)
{
    public async Task<IReadOnlyList<BackupCollection>> ReadAsync()
    {
        if (options.StatusFile is { } file)
        {
            using (context.Stage($"reading the collection-status file {file}"))
                return [StatusFileReader.Read(file, options.TimeZone, options.JobName)];
        }
        if (options.ArchiveDir is { } dir)
        {
            using (context.Stage($"reading the archive dir {dir}"))
                return [.. ArchiveDirScanner.Scan(dir, options.BackupName, options.Destination, options.ProcRoot).Select(b => b.Collection)];
        }
        if (options.Destination is { } destination)
            return [await LiveAsync(destination).ConfigureAwait(false)];
        throw new UsageException("give --archive-dir, --status-file or --destination (or a --job that sets them)");
    }

    private async Task<BackupCollection> LiveAsync(string destination)
    {
        var invocation = new CollectionStatusInvocation(destination, options.Duplicity, null, options.BackupName, options.SudoUser);
        CollectionStatusRun run;
        using (context.Stage("waiting for duplicity collection-status"))
            run = await CollectionStatusRunner.RunAsync(invocation, context.Log, context.Secrets, context.Cancellation).ConfigureAwait(false);

        if (run.ExitCode == 0)
            return MachineStatusParser.Parse(run.MachineLog, run.CommandLine, options.JobName, BackupSourceKind.LiveRun);
        if (run.LockHeld)
        {
            // A backup holds the lock: read its archive dir instead, when we can find it.
            if (DefaultArchiveDir() is { } cache && Directory.Exists(cache))
            {
                context.Log.Debug("collection-status found the lock held; reading {Cache:l} instead", cache);
                var name = options.BackupName ?? BackupName.FromUrl(destination);
                return ArchiveDirScanner.Scan(cache, name, destination, options.ProcRoot).Single().Collection;
            }
            throw new CheckException("backup in progress: another duplicity holds the lock, so collection-status cannot list the backups (give --archive-dir to read the cache while a backup runs)");
        }
        if (run.SudoRefused)
            throw new CheckException($"sudo refused to run duplicity as {options.SudoUser}: {run.Stderr.Trim()} (add a NOPASSWD sudoers rule for {options.Duplicity})");
        var reason = run.FirstError() ?? $"exit code {run.ExitCode}";
        // duplicity's backend codes (50-55, and 23 with BackendException up to 3.0.5): the destination itself failed.
        if (run.ExitCode is >= 50 and <= 56 || reason.Contains("BackendException", StringComparison.Ordinal))
            throw new DestinationUnreachableException($"cannot list the destination: {reason}");
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

/// <summary>The backup destination could not be reached or listed: a CRITICAL fact about the service.</summary>
public sealed class DestinationUnreachableException(string message) : Exception(message);
