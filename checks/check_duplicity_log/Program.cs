using DuplicityChecks.Checks.Log;
using DuplicityChecks.Plugin;

// check_duplicity_log: options -> read the log -> evaluate -> output (the runner owns stdout and the exit code).
var plugin = new PluginDefinition
{
    Name = "check_duplicity_log",
    Service = "DUPLICITY LOG",
    Description = "Reads a duplicity job's log (cron output, a wrapper's log, or duplicity's machine log) and says "
        + "whether the last run succeeded; if not, which known failure it was (missing passphrase, GPG, disk or "
        + "destination full, backend unreachable, lock held, orphaned or incomplete sets, ...) and the command that "
        + "fixes it. The Backup Statistics become perfdata. --scope new reads only what was appended since the "
        + "previous check (rotation-safe state file).",
    Options = LogOptions.Specs,
    DefaultTimeoutSeconds = 30,
    Examples =
    [
        "check_duplicity_log -j assets",
        "check_duplicity_log -l /var/log/duplicity/assets.log -u govuk-backup -d rsync://u@host:/srv/b",
        "check_duplicity_log -l /var/log/duplicity/assets.log --scope new --age-warning 26h --age-critical 2d",
    ],
};

return PluginRunner.Run(args, plugin, context =>
{
    var options = LogOptions.FromCommandLine(context.Options, context.Secrets);
    LogScanResult scan;
    var probe = new LogProbe(options, context.Log, context.Now);
    using (context.Stage($"reading {options.LogFile}"))
        scan = probe.Read(context.Cancellation);
    // --scope new: the position is saved only once the result is out (killed before, the next check repeats it).
    context.AfterOutput(probe.CommitPosition);
    context.Log.Debug("read {Bytes} bytes from byte {Start}: {Runs} runs, {Lines} lines", scan.BytesRead, scan.ScanStart, scan.RunCount, scan.LinesScanned);
    return Task.FromResult(new LogEvaluator(options, context.Now, context.Secrets, context.Verbosity).Evaluate(scan));
});
