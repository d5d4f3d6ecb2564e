using DuplicityChecks.Plugin;

// Placeholder until this check's issue lands; it never claims OK.
return PluginRunner.Run(args, new PluginDefinition
{
    Name = "check_duplicity_log",
    Service = "DUPLICITY log",
    Description = "Not built yet.",
    Options = [],
}, _ => Task.FromResult(CheckResult.Unknown("not implemented yet")));
