using System.Text.RegularExpressions;

namespace DuplicityChecks.Plugin.Options;

/// <summary>
/// The parsers option declarations are built from. Each names the option in its usage error (through the origin);
/// the wording of each message is the one the checks have always printed.
/// </summary>
public static class OptionParsers
{
    public static readonly OptionParser<string?> Text = (text, _) => text;

    /// <summary>A monitoring-plugins range (<see cref="ThresholdRange"/>), nullable so that none/off can mean "no range".</summary>
    public static OptionParser<ThresholdRange?> Range(RangeUnits units) => (text, origin) => ThresholdRange.Parse(text, units, origin.Name);

    /// <summary>A duration in seconds (<see cref="Plugin.Duration"/>), nullable so that none/off can mean "no duration".</summary>
    public static readonly OptionParser<double?> Duration = (text, origin) => Plugin.Duration.ParseSeconds(text, origin.Name);

    /// <summary>A state name; <paramref name="listing"/> completes "is not ..." in the usage error.</summary>
    public static OptionParser<ServiceState> State(IReadOnlyCollection<ServiceState> allowed, string listing)
        => (text, origin) => ServiceStates.TryParse(text, out var state) && allowed.Contains(state) ? state
            : throw new UsageException($"{origin.Name}: '{text}' is not {listing}");

    /// <summary>One of a few words; <paramref name="listing"/> completes "is not ..." in the usage error.</summary>
    public static OptionParser<T> Choice<T>(IReadOnlyDictionary<string, T> words, string listing, bool ignoreCase = false)
        => (text, origin) =>
        {
            var word = ignoreCase ? text.ToLowerInvariant() : text;
            return words.TryGetValue(word, out var value) ? value
                : throw new UsageException($"{origin.Name}: '{word}' is not {listing}");
        };

    /// <summary>An absolute path; <paramref name="why"/> ends the usage error ("must be an absolute path...").</summary>
    public static OptionParser<string?> AbsolutePath(string why)
        => (text, origin) => Path.IsPathFullyQualified(text) ? text
            : throw new UsageException($"{origin.Name}: '{text}' must be an absolute path{why}");

    /// <summary>
    /// A .NET regular expression, culture-invariant, each match bounded by <paramref name="matchTimeout"/> (the
    /// pattern is untrusted input: catastrophic backtracking must not hang the check). <paramref name="label"/> names
    /// it in the usage error instead of the option.
    /// </summary>
    public static OptionParser<Regex?> Regex(TimeSpan matchTimeout, string? label = null)
        => (text, origin) =>
        {
            try
            {
                return new Regex(text, RegexOptions.CultureInvariant, matchTimeout);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{label ?? origin.Name}: '{text}' is not a valid regular expression: {e.Message}");
            }
        };
}
