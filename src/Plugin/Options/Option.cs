namespace DuplicityChecks.Plugin.Options;

/// <summary>Turns an option's text into its value, or throws <see cref="UsageException"/> naming <paramref name="origin"/>.</summary>
public delegate T OptionParser<T>(string text, OptionOrigin origin);

/// <summary>Where a value came from, for a usage error: the option, and the job when the job file gave it.</summary>
public readonly record struct OptionOrigin(string Option, string? Job = null)
{
    /// <summary>The option as typed on the command line, e.g. <c>--warning</c>.</summary>
    public string Name => "--" + Option;
}

/// <summary>
/// The one declaration of an option: what the tokenizer and --help need (<see cref="OptionSpec"/>), its parser and
/// its default as a typed value. The default shown in --help and the typed default come from one text when the
/// parser can read it (<see cref="WithDefault(string)"/>). A value allowed to be 'none'/'off' (<see cref="OptionSpec.Off"/>)
/// is then <c>default(T)</c>, so <typeparamref name="T"/> is nullable for those.
/// </summary>
public sealed record Option<T> : OptionSpec
{
    public Option(string longName, char? shortName, string valueName, string help, OptionParser<T> parser)
        : base(longName, shortName, valueName, help)
    {
        Parser = parser;
        DefaultValue = default!;
    }

    public OptionParser<T> Parser { get; }

    /// <summary>The value when neither the command line nor the job gives one.</summary>
    public T DefaultValue { get; init; }

    /// <summary>The default written once: shown as <paramref name="text"/> and parsed by the option's own parser.</summary>
    public Option<T> WithDefault(string text)
        => this with { Default = text, DefaultValue = IsOffWord(text) && Off is not null ? default! : Parser(text, new OptionOrigin(Long)) };

    /// <summary>A default that is not option text (the machine's zone, a path derived from another option).</summary>
    public Option<T> WithDefault(T value, string shown) => this with { Default = shown, DefaultValue = value };
}
