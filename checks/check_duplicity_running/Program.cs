using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Duplicity.Running;
using DuplicityChecks.Plugin;

// check_duplicity_running: is a duplicity backup running, for how long, is it stuck at a passphrase prompt,
// and who holds the lock. Options -> process table (/proc or a ps capture) -> evaluate -> PluginRunner.
return PluginRunner.Run(args, new PluginDefinition
{
    Name = "check_duplicity_running",
    Service = "DUPLICITY RUNNING",
    Description = "Is a duplicity backup running, for how long, is it stuck waiting for terminal input "
        + "(a GPG passphrase prompt), and which process holds its archive dir's lock? Reads /proc directly "
        + "(or a ps capture); without filters every duplicity counts.",
    Options = RunningOptions.Specs,
    Examples =
    [
        "check_duplicity_running -d rsync://backup@host:/srv/assets -A /data/.cache/duplicity",
        "check_duplicity_running -u govuk-backup -w 12h -c 1d",
        "check_duplicity_running --expect running -m 'assets'",
        "check_duplicity_running --ps-file ps.txt --now 1795689786 -v",
    ],
}, context =>
{
    var job = context.Options.Get("job") is { } name
        ? JobConfigReader.Load(context.Options.Get("config") ?? JobConfigReader.DefaultPath, name, context.Secrets)
        : null;
    var options = RunningOptions.From(context.Options, job is null ? null : new JobValues(job.Name, job.Destination, job.ArchiveDir, job.BackupName, job.User));
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
    return Task.FromResult(RunningEvaluator.Evaluate(scan, options, context.Now));
});
