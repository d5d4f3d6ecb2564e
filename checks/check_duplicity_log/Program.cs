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

return PluginRunner.Run(args, plugin, new CheckPipeline<LogOptions, LogScanResult>(
    Options: context => LogOptions.FromCommandLine(context.Options, context.Secrets),
    Probe: (options, context) => new LogProbe(options, context),
    Evaluator: (options, context) => new LogEvaluator(options, context.Now, context.Secrets, context.Verbosity)));
