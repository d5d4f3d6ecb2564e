namespace DuplicityChecks.Plugin;

/// <summary>
/// One command-line option: long name (without dashes), optional short letter, the value's placeholder
/// (null for a flag), help text, and its default as shown in --help.
/// </summary>
public sealed record OptionSpec(string Long, char? Short, string? ValueName, string Help, string? Default = null, bool Repeatable = false)
{
    public bool IsFlag => ValueName is null;

    public string Display => Short is { } s ? $"-{s}, --{Long}" : $"    --{Long}";
}
