using System.Globalization;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Running;

/// <summary>
/// Turns a process scan into check_duplicity_running's result (evaluation): the count against
/// --count-warning/--count-critical and --expect, the elapsed time of each run against -w/-c (the oldest gives
/// the perfdata), the lock, a terminal prompt (--waiting-state), one sub-check per run with its details, and
/// hints with the fix. Perfdata: <c>processes</c> and <c>elapsed</c> (seconds, oldest run).
/// </summary>
public sealed class RunningEvaluator(RunningOptions options, DateTimeOffset now) : IEvaluator<DuplicityProcessScan>
{
    public const string WaitingText = "waiting for terminal input (GPG passphrase?)";

    public CheckResult Evaluate(DuplicityProcessScan scan)
    {
        var instances = scan.Instances;
        var result = new CheckResult();
        var count = instances.Count;

        var countState = options.Count.Evaluate(count);
        var expectState = options.Expect switch
        {
            ExpectMode.Running when count == 0 => ServiceState.Critical,
            ExpectMode.Stopped when count > 0 => ServiceState.Critical,
            _ => ServiceState.Ok,
        };
        var countText = count == 1 ? "1 duplicity process" : $"{count.ToString(CultureInfo.InvariantCulture)} duplicity processes";
        if (expectState != ServiceState.Ok) countText += options.Expect == ExpectMode.Running ? " (expected one running)" : " (expected none)";
        else if (countState != ServiceState.Ok) countText += $" ({Violation(options.Count, count, Number.Format)})";
        result.Add(countText, ServiceStates.Worst(countState, expectState), detail: true);
        if (count > 1 && countState != ServiceState.Ok)
            result.Hint("several duplicity runs at once: a cron run started before the last one ended; run the job under 'flock -n' or give it a longer interval");

        foreach (var instance in instances) result.Add(InstanceCheck(instance, result));

        // The lockfile the job designates may be held by a process that is not (visibly) a matching duplicity.
        if (scan.FilterLockHolder is { } holder && instances.All(i => i.Pid != holder))
        {
            result.Add($"{scan.FilterLockFile} is held by PID {holder.ToString(CultureInfo.InvariantCulture)}, which is not a matching duplicity (not visible to this user, or another command)", ServiceState.Warning);
        }

        var oldest = instances.FirstOrDefault();
        var elapsed = oldest?.ElapsedSeconds(now);
        result.PerfData.Add(new PerfDatum("processes", count, "", options.Count.Warning, options.Count.Critical, 0));
        result.PerfData.Add(PerfDatum.WithThreshold("elapsed", oldest is null ? 0 : elapsed, "s", options.Elapsed, 0));

        result.Summary = Summary(scan, expectState != ServiceState.Ok);
        return result;
    }

    private SubCheck InstanceCheck(DuplicityProcess p, CheckResult result)
    {
        var pid = p.Pid.ToString(CultureInfo.InvariantCulture);
        var elapsed = p.ElapsedSeconds(now);
        var start = p.StartUtc is { } s ? s.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "unknown";
        var node = new SubCheck($"PID {pid} (user {p.User ?? "?"}): {p.Arguments.Describe()}, started {start}");

        if (elapsed is { } e)
        {
            var state = options.Elapsed.Evaluate(e);
            var text = $"running for {Duration.Format(e)}";
            if (state != ServiceState.Ok) text += $" ({Violation(options.Elapsed, e, Duration.Format)})";
            node.Add(text, state, detail: true);
            if (state != ServiceState.Ok && p.Waiting is null)
                result.Hint($"a long run: look at the job's log for progress (volumes uploaded, retries); if PID {pid} is stuck, stop it with 'kill {pid}' and rerun the job (duplicity resumes an interrupted backup)");
        }
        else
        {
            node.Add("running time unknown (no start time in the process table)", ServiceState.Unknown);
        }

        var action = p.Arguments.ActionIsImplicit ? $"{p.Arguments.Action} (implied by the arguments)" : p.Arguments.Action ?? "not recognised";
        node.Add($"action {action}, target {p.Arguments.Target ?? "unknown"}", detail: true);
        var archive = p.ArchiveDir is null ? "unknown" : p.ArchiveDirIsDefault ? $"{p.ArchiveDir} (default)" : p.ArchiveDir;
        node.Add($"archive dir {archive}, backup name {p.Arguments.BackupName ?? "unknown"}", detail: true);
        node.Add(p.Children.Count == 0 ? "children: none" : "children: " + string.Join(", ", p.Children.Select(c => $"{c.ShortName} (PID {c.Pid.ToString(CultureInfo.InvariantCulture)})")), detail: true);

        var lockState = p.Lock.State == LockState.HeldByOther ? ServiceState.Warning : ServiceState.Ok;
        node.Add($"lock: {p.Lock.Describe()}", lockState, detail: true);
        if (p.Lock.State == LockState.HeldByOther && p.Lock.HolderPid is { } holder)
        {
            var h = holder.ToString(CultureInfo.InvariantCulture);
            result.Hint($"PID {pid} cannot take the lock held by PID {h}: let PID {h} finish, or if it is stuck stop it ('kill {h}') before the next run");
        }

        if (p.Waiting is { } w)
        {
            var who = w.Pid == p.Pid ? "" : $" (its child {w.ProgramName}, PID {w.Pid.ToString(CultureInfo.InvariantCulture)})";
            node.Add($"{WaitingText} on {w.Terminal}{who}", options.WaitingState);
            result.Hint($"PID {pid} waits for a passphrase on {w.Terminal}: type it there (attach its tmux or screen session), or stop it ('kill {pid}') and run the job by hand in tmux or screen to type the passphrase; for cron runs give the job its passphrase source (PASSPHRASE in the job's environment)");
        }

        if (p.Process.ArgvTruncated)
            node.Add("command line longer than the read limit: analysed in part", detail: true);
        return node;
    }

    private string Summary(DuplicityProcessScan scan, bool expectViolated)
    {
        var instances = scan.Instances;
        if (instances.Count == 0)
        {
            var scope = options.JobName is { } job ? $" for job {job}"
                : options.Filter.IsEmpty ? "" : $" for {options.Filter.Describe()}";
            var text = $"no duplicity process{scope}";
            if (scan.FilterLockHolder is { } holder) text += $", but PID {holder.ToString(CultureInfo.InvariantCulture)} holds its lockfile";
            return expectViolated ? text + " (expected one running)" : text;
        }

        var oldest = instances[0];
        var elapsed = oldest.ElapsedSeconds(now) is { } e ? Duration.Format(e) : "an unknown time";
        var lockNote = oldest.Lock.State switch
        {
            LockState.Holds => ", holds the lock",
            LockState.HoldsUnverified => ", holds a lock",
            LockState.HeldByOther => $", lock held by PID {oldest.Lock.HolderPid?.ToString(CultureInfo.InvariantCulture)}",
            _ => "",
        };
        var summary = $"{oldest.Arguments.Describe()} running for {elapsed} (PID {oldest.Pid.ToString(CultureInfo.InvariantCulture)}{lockNote})";
        var waiting = instances.FirstOrDefault(i => i.Waiting is not null);
        if (waiting == oldest) summary += $", {WaitingText}";
        else if (waiting is not null) summary += $"; PID {waiting.Pid.ToString(CultureInfo.InvariantCulture)} {WaitingText}";
        if (instances.Count > 1) summary = $"{instances.Count.ToString(CultureInfo.InvariantCulture)} duplicity processes, oldest: {summary}";
        if (expectViolated) summary += " (expected none)";
        return summary;
    }

    private static string Violation(Threshold threshold, double value, Func<double, string> format)
    {
        if (threshold.Critical is { } c && c.Alerts(value)) return $"critical {c.Describe(format)}";
        if (threshold.Warning is { } w && w.Alerts(value)) return $"warning {w.Describe(format)}";
        return "";
    }
}
