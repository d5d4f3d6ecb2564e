namespace DuplicityChecks.Plugin;

/// <summary>The options every check has, with their standard meanings (plugin-conventions.md §5).</summary>
public static class StandardOptions
{
    public static IReadOnlyList<OptionSpec> For(PluginDefinition plugin) =>
    [
        new("timeout", 't', "SECONDS", $"Give up with UNKNOWN after this long (seconds or a duration such as 30s)", Default: plugin.DefaultTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("now", null, "TIME", "Evaluate as if it were TIME (epoch seconds or ISO 8601); for replaying captures and tests"),
        new("debug-log", null, "FILE", "Also write the diagnostics of -vv/-vvv to FILE (secrets masked)"),
        new("verbose", 'v', null, "More output: -v every sub-check, -vv what was read or run and timings, -vvv parser decisions and stack traces"),
        new("help", 'h', null, "Show this help and exit (UNKNOWN, 3)"),
        new("version", 'V', null, "Show the version and exit (UNKNOWN, 3)"),
    ];
}
