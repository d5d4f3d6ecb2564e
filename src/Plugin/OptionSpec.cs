namespace DuplicityChecks.Plugin;

/// <summary>
/// One command-line option as the tokenizer and --help see it: long name (without dashes), optional short letter,
/// the value's placeholder (null for a flag), help text, its default as shown in --help, the key of a job file
/// that may give it (null: only the command line), and what 'none' or 'off' mean for it (null: not allowed).
/// The typed declaration that also parses and resolves the value is <see cref="Options.Option{T}"/>.
/// </summary>
public record OptionSpec(string Long, char? Short, string? ValueName, string Help, string? Default = null, bool Repeatable = false)
{
    /// <summary>The job file key that gives this option when the command line does not; null: none.</summary>
    public string? JobKey { get; init; }

    /// <summary>What 'none' and 'off' mean for this option, as --help says it; null: neither is allowed.</summary>
    public string? Off { get; init; }

    public bool IsFlag => ValueName is null;

    public string Display => Short is { } s ? $"-{s}, --{Long}" : $"    --{Long}";

    /// <summary>The help text with the default and the meaning of none/off, as --help shows it.</summary>
    public string FullHelp => (Default, Off) switch
    {
        (null, null) => Help,
        (_, null) => $"{Help} (default: {Default})",
        (null, _) => $"{Help} ({OffWords}: {Off})",
        _ => $"{Help} (default: {Default}; {OffWords}: {Off})",
    };

    /// <summary>The two words that switch an option off (<see cref="Off"/>): one meaning wherever they are allowed.</summary>
    public static bool IsOffWord(string text) => text is "none" or "off";

    private const string OffWords = "none or off";
}
