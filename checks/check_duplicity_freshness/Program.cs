using DuplicityChecks.Checks.Freshness;
using DuplicityChecks.Plugin;

// check_duplicity_freshness: options -> probe -> evaluate -> output (the runner owns stdout and the exit code).
var plugin = new PluginDefinition
{
    Name = "check_duplicity_freshness",
    Service = "DUPLICITY FRESHNESS",
    Description = "Checks when the last complete duplicity backup and the last full backup were made, and "
        + "whether incomplete or orphaned backup sets are lying around. Reads the archive dir (cache) offline, a "
        + "saved collection-status (text or machine log), or runs 'duplicity collection-status' with a hard timeout.",
    Options = FreshnessOptions.Specs,
    DefaultTimeoutSeconds = 30,
    Examples =
    [
        "check_duplicity_freshness -j assets",
        "check_duplicity_freshness -A /var/cache/duplicity -d sftp://u@host/b -c 2d",
        "check_duplicity_freshness -s status.log --timezone Europe/Berlin",
        "check_duplicity_freshness -d file:///srv/b --sudo-user backup",
    ],
};

return PluginRunner.Run(args, plugin, new CheckPipeline<FreshnessOptions, FreshnessReading>(
    Options: context => FreshnessOptions.From(context.Options, context.Secrets),
    Probe: (options, context) => new FreshnessProbe(options, context),
    Evaluator: (options, context) => new FreshnessEvaluator(options, context.Now, context.Verbosity)));
