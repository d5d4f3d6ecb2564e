namespace DuplicityChecks.Duplicity.MachineLog;

/// <summary>
/// One stanza of duplicity's machine-readable log (<c>--log-fd</c> / <c>--log-file</c>):
/// <code>
/// LEVEL CODE[ EXTRA]        e.g. "ERROR 30 EOFError", "INFO 3 ", "WARNING 6"
/// [extra continuation lines]  (the collection-status block: chain-complete, " full 2026... 3 enc", ...)
/// [. message line]...
/// (blank line)
/// </code>
/// <see cref="LineNumber"/> is the 1-based line of the LEVEL line in the input.
/// </summary>
public sealed record MachineLogStanza(
    string Level,
    int Code,
    string Extra,
    IReadOnlyList<string> ExtraLines,
    IReadOnlyList<string> Message,
    long LineNumber)
{
    public string MessageText => string.Join('\n', Message);

    public bool IsError => Level == "ERROR";

    public bool IsWarning => Level == "WARNING";
}
