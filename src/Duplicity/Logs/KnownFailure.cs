using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// One row of the table of known failures (<see cref="KnownFailures"/>): how bad it is, what to call it, how it
/// is recognised in text output and in the machine log, and the commands that fix it. A row names only the ways
/// it is recognised; the others are empty.
/// </summary>
public sealed record KnownFailure
{
    /// <summary>Stable id, shown in long output and used by tests (<c>passphrase_eof</c>).</summary>
    public required string Name { get; init; }

    public required ServiceState Severity { get; init; }

    /// <summary>What happened, in words an operator understands at 3 a.m.</summary>
    public required string Summary { get; init; }

    /// <summary>
    /// Failures of one family refine each other: a backend failure whose message says "Permission denied" becomes
    /// <c>backend_auth</c>.
    /// </summary>
    public required string Family { get; init; }

    /// <summary>A text line (after a time stamp prefix and leading blanks) starting with one of these triggers the failure.</summary>
    public string[] LineStarts { get; init; } = [];

    /// <summary>
    /// Looked for inside the message of a failure of the same family (the trigger line and its continuation lines,
    /// or a stanza's message): the first hit turns that failure into this one.
    /// </summary>
    public string[] Details { get; init; } = [];

    /// <summary>
    /// Exception lines that end a traceback (<c>EOFError</c>, <c>OSError: [Errno 28]</c>): the line starts with, or
    /// contains, one of these.
    /// </summary>
    public string[] Exceptions { get; init; } = [];

    /// <summary>Machine-log stanzas that mean this failure. Machine codes win over texts.</summary>
    public MachineCode[] Codes { get; init; } = [];

    /// <summary>The hints, filled in from the job.</summary>
    public required Func<FixCommands, string[]> Fix { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// A machine-log stanza pattern: level word, a code range, and optionally what the keyword line's extra field
/// or the message must start with / contain.
/// </summary>
public sealed record MachineCode(string Level, int From, int To, string? Extra = null, string? MessageContains = null)
{
    public static MachineCode Error(int code, string? extra = null, string? message = null) => new("ERROR", code, code, extra, message);

    public static MachineCode Warning(int code) => new("WARNING", code, code);

    public bool Matches(string level, int code, string extra, string message)
    {
        var levelMatches = Level == level || (Level == "ERROR" && level == "CRITICAL");
        return levelMatches && code >= From && code <= To
            && (Extra is null || extra.StartsWith(Extra, StringComparison.Ordinal))
            && (MessageContains is null || message.Contains(MessageContains, StringComparison.Ordinal));
    }

    public override string ToString() => $"{Level} {(From == To ? $"{From}" : $"{From}-{To}")}{(Extra is null ? "" : " " + Extra)}{(MessageContains is null ? "" : $" \"{MessageContains}\"")}";
}
