using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Checks.Running;

/// <summary>
/// Reads the process table for check_duplicity_running (acquisition): /proc or a ps capture, filtered to the runs
/// of this job, with the lock table. The command lines it found are learnt as secrets, so that a bare repeat of a
/// password from one of them is masked too.
/// </summary>
public sealed class RunningProbe(RunningOptions options, PluginContext context) : IProbe<DuplicityProcessScan>
{
    public Task<DuplicityProcessScan> ReadAsync() => Task.FromResult(Read());

    private DuplicityProcessScan Read()
    {
        DuplicityProcessScan scan;
        using (context.Stage(options.PsFile is { } ps ? $"reading ps capture {ps}" : $"reading the process table {options.ProcRoot}"))
        {
            var (source, filter) = options.Open(context.Now);
            scan = DuplicityProcessFinder.Scan(source, filter, cancellation: context.Cancellation);
        }
        // Their URLs are shown with the password masked in place; learnt here, a bare repeat of it is masked too.
        foreach (var p in scan.Instances) context.Secrets.Learn(p.Process.CommandLine);
        context.Log.Debug("{Source:l}: {Count} matching duplicity process(es), lock table {Locks:l}", scan.Source, scan.Instances.Count, scan.LocksKnown ? "read" : "not available");
        if (context.Log.IsDebug)
            foreach (var p in scan.Instances)
                context.Log.Debug("PID {Pid}: {Command:l}", p.Pid, context.Secrets.Mask(p.Process.CommandLine));
        return scan;
    }
}
