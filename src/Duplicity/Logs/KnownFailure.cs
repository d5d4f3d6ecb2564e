using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// One row of the table of known failures (<see cref="KnownFailures"/>): how bad it is, what to call it, how it
/// is recognised in text output and in the machine log, and the commands that fix it.
/// </summary>
/// <param name="Name">Stable id, shown in long output and used by tests (<c>passphrase_eof</c>).</param>
/// <param name="Summary">What happened, in words an operator understands at 3 a.m.</param>
/// <param name="Family">Failures of one family refine each other: a backend failure whose message says
/// "Permission denied" becomes <c>backend_auth</c>.</param>
/// <param name="LineStarts">A text line (after a time stamp prefix and leading blanks) starting with one of these
/// triggers the failure.</param>
/// <param name="Details">Looked for inside the message of a failure of the same family (the trigger line and its
/// continuation lines, or a stanza's message): the first hit turns that failure into this one.</param>
/// <param name="Exceptions">Exception lines that end a traceback (<c>EOFError</c>, <c>OSError: [Errno 28]</c>):
/// the line starts with, or contains, one of these.</param>
/// <param name="Codes">Machine-log stanzas that mean this failure. Machine codes win over texts.</param>
/// <param name="Fix">The hints, filled in from the job.</param>
public sealed record KnownFailure(
    string Name,
    ServiceState Severity,
    string Summary,
    string Family,
    string[] LineStarts,
    string[] Details,
    string[] Exceptions,
    MachineCode[] Codes,
    Func<FixCommands, string[]> Fix)
{
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
