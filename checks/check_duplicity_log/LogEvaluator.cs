using System.Globalization;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Log;

/// <summary>
/// Turns what was read from the log into the check's result (evaluation): the failures with their state, the
/// lines that show them and the fix; the statistics of the last backup as perfdata; the age of the last run.
/// </summary>
public sealed class LogEvaluator(LogOptions options, DateTimeOffset now, SecretMasker masker, int verbosity = 0) : IEvaluator<LogScanResult>
{
    /// <summary>
    /// Quoted lines per failure at default verbosity: enough to recognise the failure while the whole output
    /// stays within an NRPE v2 packet (1023 bytes); -v shows all that were kept.
    /// </summary>
    private const int DefaultQuotedLines = 1;

    public CheckResult Evaluate(LogScanResult scan)
    {
        if (scan.Missing)
        {
            var missing = new CheckResult($"log file {scan.Path} not found") { StateOverride = options.MissingState };
            missing.Add($"log file {scan.Path} does not exist", options.MissingState);
            return missing;
        }

        var result = new CheckResult();
        var failures = Failures(scan);
        var age = Age(scan);

        if (scan.StateProblem is { } problem) result.Add(problem, ServiceState.Warning);
        // Nothing is lost (the owner's check reads the same lines), so it is said, not alarmed.
        if (scan.PositionNotSaved is { } notSaved) result.Add(notSaved, ServiceState.Ok);

        if (scan.Runs.Count == 0)
        {
            if (scan.Scope.ReadsOnlyNew && scan.FirstRun && scan.InProgress is null && scan.OrphanLines == 0)
            {
                // No earlier check to compare with and nothing to judge: not an OK ("nothing new" would be one).
                result.Summary = scan.Length == 0 ? $"log {scan.Path} is empty: no run yet" : $"log {scan.Path} has no complete line yet: no run yet";
                result.Add(result.Summary, ServiceState.Unknown);
            }
            else if (scan.InProgress is { } running)
            {
                // Runs before it that ended without a failure are not kept, but counted.
                result.Summary = scan.RunCount > 0 ? $"{Summary(scan, failures)}; {InProgressText(scan, running)}" : InProgressText(scan, running);
            }
            else if (scan.WaitingForRun)
            {
                result.Summary = $"no new run since the last check ({scan.LinesScanned} new lines, no duplicity line yet){AgoText(age)}";
                result.Add($"{scan.Path}: {scan.LinesScanned} new lines without a duplicity line (a wrapper's text around a run); read again by the next check");
            }
            else if (scan.Scope.ReadsOnlyNew && scan.NothingNew)
            {
                result.Summary = $"no new output since the last check{AgoText(age)}";
                result.Add($"nothing appended to {scan.Path} since the last check");
            }
            else if (scan.Scope.ReadsOnlyNew && scan.LinesScanned == 0)
            {
                result.Summary = "no complete new line since the last check";
                result.Add($"{scan.Path}: a line is still being written");
            }
            else
            {
                result.Summary = $"no duplicity run found {scan.Scope.SearchedIn} {scan.Path} ({scan.LinesScanned} lines, none recognised)";
                result.Add(result.Summary, ServiceState.Unknown);
            }
        }
        else
        {
            result.Summary = Summary(scan, failures);
            if (scan.InProgress is { } running) result.Summary += $"; {InProgressText(scan, running)}";
            foreach (var (hit, state, count) in failures)
            {
                var sub = result.Add($"{hit.Failure.Name}: {hit.Said}{(count > 1 ? $" ({count} times)" : "")}", state);
                // Quoted lines can hold a URL with a password or a PASSPHRASE= line of a wrapper: masked here,
                // and the renderer masks everything once more.
                foreach (var line in verbosity > 0 ? hit.Lines : hit.Lines.Take(DefaultQuotedLines)) sub.Add($"> {masker.Mask(line)}", state);
            }
            if (failures.Count == 0) result.Add(OkText(scan), ServiceState.Ok);
            foreach (var (hit, _, _) in failures.OrderByDescending(f => f.State.Severity()))
                foreach (var hint in hit.Failure.Fix(options.Fixes))
                    result.Hint(hint);
        }

        if (age is { } seconds)
        {
            var state = options.Age.Evaluate(seconds);
            var when = AgeSourceText(scan);
            result.Add($"last run {Duration.Format(seconds)} ago ({when})", state, detail: true);
            if (state != ServiceState.Ok && failures.Count == 0 && scan.Runs.Count > 0)
                result.Summary = $"last run is {Duration.Format(seconds)} old ({options.Age.Critical?.Describe(Duration.Format) ?? options.Age.Warning?.Describe(Duration.Format)}); {result.Summary}";
            else if (state != ServiceState.Ok && scan.Runs.Count == 0)
                result.Summary = $"last run is {Duration.Format(seconds)} old; {result.Summary}";
        }

        if (scan.InProgress is { } inProgress)
            result.Add($"{InProgressText(scan, inProgress)}: {inProgress.RecognisedLines + inProgress.UnknownLines} lines so far, no end yet; judged when it ends", ServiceState.Ok);
        if (scan.Restarted is { } restarted)
        {
            result.Summary += $" ({restarted})";
            result.Add(restarted, ServiceState.Ok);
        }

        if (scan.LastStatisticsRun?.Statistics is { } stats) result.PerfData.AddRange(StatisticsPerfData.Of(stats));
        result.PerfData.Add(PerfDatum.WithThreshold("log_age", age, "s", options.Age, min: 0));
        return result;
    }

    /// <summary>One known failure over the runs judged: its first sighting, its state, and how often it was seen.</summary>
    private sealed record FailureSeen(FailureHit Hit, ServiceState State, int Count);

    private List<FailureSeen> Failures(LogScanResult scan)
    {
        var list = new List<FailureSeen>();
        foreach (var run in scan.Runs)
            foreach (var hit in run.Failures)
            {
                var state = hit.Failure == KnownFailures.Unfinished ? options.UnfinishedState : hit.Failure.Severity;
                var existing = list.FindIndex(x => x.Hit.Failure == hit.Failure);
                if (existing >= 0)
                {
                    // Counted here, not in the reading: the evaluation leaves what was read as it was read.
                    list[existing] = list[existing] with { Count = list[existing].Count + hit.Count };
                    continue;
                }
                list.Add(new FailureSeen(hit, state, hit.Count));
            }
        return [.. list.OrderByDescending(x => x.State.Severity()).ThenBy(x => KnownFailures.Rank(x.Hit.Failure))];
    }

    private string Summary(LogScanResult scan, List<FailureSeen> failures)
    {
        var more = failures.Count > 1 ? $" (+{failures.Count - 1} more)" : "";
        if (scan.Scope.JudgesLastRunOnly)
        {
            if (failures.Count == 0) return OkText(scan);
            var (hit, state, _) = failures[0];
            var main = scan.Runs[0];
            if (state == ServiceState.Critical) return $"last run failed: {hit.Said}{more}";
            if (main.Statistics is { IsComplete: true }) return $"last backup succeeded, but {hit.Said}{more}";
            return $"last run: {hit.Said}{more}";
        }
        var what = scan.Scope.ReadName;
        var runs = scan.RunCount == 1 ? "1 run" : $"{scan.RunCount} runs";
        if (failures.Count == 0) return $"{what}: {runs}, no failures";
        return $"{what}: {runs}, {scan.FailedRunCount} with problems: {failures[0].Hit.Said}{more}";
    }

    private static string InProgressText(LogScanResult scan, LogRun run)
    {
        var what = run.Action is null or "backup" ? "backup" : run.Action;
        var since = scan.InProgressSince is { } t ? $" since {t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC" : "";
        return $"{what} in progress{since}";
    }

    private static string OkText(LogScanResult scan)
    {
        var run = scan.Runs.Count > 0 ? scan.Runs[0] : null;
        if (run?.Statistics is { } s)
            return $"last backup succeeded ({Count(s.SourceFiles)} files, {Count(s.NewFiles)} new, {Count(s.ChangedFiles)} changed, {Count(s.DeletedFiles)} deleted, Errors {Count(s.Errors)})";
        if (run is { Action: { } action }) return $"last run ({action}) finished without errors";
        return "last run finished without errors";
    }

    private static string Count(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>Seconds since the last run: its statistics EndTime (StartTime), else the log's last write.</summary>
    private double? Age(LogScanResult scan)
    {
        if (scan.LastRun?.Epoch is { } epoch) return Math.Max(0, Math.Round(now.ToUnixTimeMilliseconds() / 1000.0 - epoch));
        if (scan.LastWriteUtc is { } mtime) return Math.Max(0, Math.Round((now - new DateTimeOffset(mtime, TimeSpan.Zero)).TotalSeconds));
        return null;
    }

    private static string AgeSourceText(LogScanResult scan)
        => scan.LastRun?.Epoch is not null ? "its Backup Statistics EndTime" : "the log's last write";

    private static string AgoText(double? age) => age is { } a ? $" (log written {Duration.Format(a)} ago)" : "";
}
