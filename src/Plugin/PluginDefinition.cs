namespace DuplicityChecks.Plugin;

/// <summary>What a check declares about itself: names, help text, its own options and its default timeout.</summary>
public sealed record PluginDefinition
{
    /// <summary>Executable name, e.g. check_duplicity_freshness.</summary>
    public required string Name { get; init; }

    /// <summary>First word(s) of the status line, e.g. "DUPLICITY FRESHNESS".</summary>
    public required string Service { get; init; }

    /// <summary>One paragraph for --help: what the check answers.</summary>
    public required string Description { get; init; }

    public required IReadOnlyList<OptionSpec> Options { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];

    public int DefaultTimeoutSeconds { get; init; } = 10;

    public string Version { get; init; } = BuildVersion.Value;
}
