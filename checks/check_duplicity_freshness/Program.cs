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

return PluginRunner.Run(args, plugin, async context =>
{
    var options = FreshnessOptions.From(context.Options, context.Secrets);
    try
    {
        var collections = await new FreshnessProbe(options, context).ReadAsync();
        return new FreshnessEvaluator(options, context.Now, context.Verbosity).Evaluate(collections);
    }
    catch (DestinationUnreachableException e)
    {
        var result = new CheckResult(e.Message);
        result.Add(e.Message, ServiceState.Critical);
        result.Hint(options.Fixes.CollectionStatus);
        return result;
    }
});
