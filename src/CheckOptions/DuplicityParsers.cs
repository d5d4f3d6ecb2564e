using System.Text.RegularExpressions;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Duplicity.Logs;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.CheckOptions;

/// <summary>
/// Parsers for values the duplicity library judges: the library says what is wrong, this layer words the usage
/// error with the option (or the job) the value came from.
/// </summary>
public static class DuplicityParsers
{
    /// <summary>A backup target URL that duplicity will not read as an option (<see cref="DestinationUrl"/>).</summary>
    public static readonly OptionParser<string?> Destination = (text, origin) => DestinationUrl.Problem(text) is { } problem
        ? throw new UsageException($"{(origin.Job is { } job ? $"destination of [job:{job}]" : origin.Name)}: '{text}' {problem}")
        : text;

    /// <summary>The zone of collection-status's human dates (<see cref="AscTime.TryFindZone"/>).</summary>
    public static readonly OptionParser<TimeZoneInfo> TimeZone = (text, origin) => AscTime.TryFindZone(text, out var zone) ? zone
        : throw new UsageException($"unknown time zone '{text}' for {origin.Name} (use an IANA name such as Europe/Berlin, or UTC)");

    /// <summary>A job's own log pattern (<see cref="JobPatterns"/>), named by its job key in the usage error.</summary>
    public static OptionParser<Regex?> JobPattern(string jobKey) => OptionParsers.Regex(JobPatterns.MatchTimeout, jobKey);
}
