using System.Text.RegularExpressions;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>What a job's own patterns say about a line.</summary>
public enum JobPatternVerdict
{
    None,
    Ignore,
    Critical,
    Warning,
}

/// <summary>
/// A job's own patterns (<c>log_critical</c>, <c>log_warning</c>, <c>log_ignore</c> in its INI section, or the
/// options of the same names): .NET regular expressions, culture-invariant, each match bounded by a timeout so
/// a pathological pattern cannot hang the check. They run on every line of the scanned region (only when a job
/// has them); <c>log_ignore</c> wins, then critical, then warning.
/// </summary>
public sealed class JobPatterns
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public static readonly JobPatterns None = new([], [], []);

    private readonly Regex[] _critical;
    private readonly Regex[] _warning;
    private readonly Regex[] _ignore;

    /// <param name="critical">Each compiled with <see cref="MatchTimeout"/> (the option layer compiles them).</param>
    public JobPatterns(IEnumerable<Regex> critical, IEnumerable<Regex> warning, IEnumerable<Regex> ignore)
    {
        _critical = [.. critical];
        _warning = [.. warning];
        _ignore = [.. ignore];
    }

    public bool IsEmpty => _critical.Length == 0 && _warning.Length == 0 && _ignore.Length == 0;

    public JobPatternVerdict Match(ReadOnlySpan<char> line)
    {
        try
        {
            foreach (var r in _ignore) if (r.IsMatch(line)) return JobPatternVerdict.Ignore;
            foreach (var r in _critical) if (r.IsMatch(line)) return JobPatternVerdict.Critical;
            foreach (var r in _warning) if (r.IsMatch(line)) return JobPatternVerdict.Warning;
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new CheckException($"the job pattern '{e.Pattern}' took longer than {MatchTimeout.TotalMilliseconds} ms on one line; simplify it");
        }
        return JobPatternVerdict.None;
    }
}
