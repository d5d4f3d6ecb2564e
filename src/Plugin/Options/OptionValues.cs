namespace DuplicityChecks.Plugin.Options;

/// <summary>
/// The one resolver of option values: the command line wins (an empty value counts as not given), else the job
/// file's key when the option has one, else the declared default. 'none'/'off' give <c>default(T)</c> where the
/// declaration allows them. The job is a name and a key lookup: this layer knows no job file format.
/// </summary>
public sealed class OptionValues(ParsedOptions commandLine, string? jobName = null, Func<string, string?>? jobValue = null)
{
    public ParsedOptions CommandLine { get; } = commandLine;

    public T Get<T>(Option<T> option)
    {
        if (Text(option) is not { } found) return option.DefaultValue;
        var (text, origin) = found;
        return option.Off is not null && OptionSpec.IsOffWord(text) ? default! : option.Parser(text, origin);
    }

    /// <summary>
    /// A repeatable option: every value of the command line (an empty one too: each given value counts, as it always
    /// did), else the job's one value, else none.
    /// </summary>
    public IReadOnlyList<T> GetAll<T>(Option<T> option)
    {
        var given = CommandLine.GetAll(option.Long);
        if (given.Count > 0) return [.. given.Select(v => option.Parser(v, new OptionOrigin(option.Long)))];
        return JobText(option) is { } text ? [option.Parser(text, new OptionOrigin(option.Long, jobName))] : [];
    }

    /// <summary>True when the command line gave the option a value.</summary>
    public bool Given(OptionSpec option) => CommandLine.Get(option.Long) is { Length: > 0 };

    private (string Text, OptionOrigin Origin)? Text(OptionSpec option)
    {
        if (CommandLine.Get(option.Long) is { Length: > 0 } given) return (given, new OptionOrigin(option.Long));
        return JobText(option) is { } text ? (text, new OptionOrigin(option.Long, jobName)) : null;
    }

    private string? JobText(OptionSpec option)
        => option.JobKey is { } key && jobValue?.Invoke(key) is { Length: > 0 } text ? text : null;
}
