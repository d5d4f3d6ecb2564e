using System.Globalization;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;
using DuplicityChecks.Duplicity.MachineLog;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus.Reference;

// The reading before issue 6's span parsing (commit f522504), frozen as the oracle the fast path is compared with.
// Change it only together with a deliberate change of behaviour in the parser it mirrors.
/// <summary>
/// Acquisition: builds a <see cref="BackupCollection"/> from the machine-readable collection-status
/// (<c>--log-fd</c> / <c>--log-file</c>, duplicity-formats.md §3.4). The listing is the code-3 stanza whose extra
/// lines hold <c>chain-complete</c> (primary chain), <c>chain-no-sig N</c> (secondary chain), set lines
/// <c> full|inc YYYYMMDDTHHMMSSZ VOLUMES enc|noenc</c> (UTC), <c>orphaned-sets-num N</c> and
/// <c>incomplete-sets-num N</c>. WARNING 2/4/5/6 stanzas (orphaned or unmatched signatures, incomplete sets,
/// orphaned backup files) are kept as warnings. Any level word before code 3 is accepted (3.0.1-3.0.3 use Python's
/// names), except ERROR/CRITICAL (ERROR 3 is a hostname mismatch).
/// </summary>
/// <remarks>
/// Refused with <see cref="CheckException"/>: a log without the listing (a failed run: its first ERROR is quoted;
/// 3.0.1, which only logs <c>Last full backup date:</c>; <c>--show-changes-in-set</c>/<c>--file-changed</c>/
/// <c>--jsonstat</c> output, whose code-3 stanza has no extra lines), and any listing line we do not understand.
/// When the listing appears more than once (<c>-v8</c> logs it twice) the last one wins.
/// </remarks>
internal static class ReferenceMachineStatusParser
{
    private const string Where = "the collection-status machine log";

    public static BackupCollection Parse(string machineLog, string sourceDescription, string? name = null, BackupSourceKind source = BackupSourceKind.MachineLog)
    {
        using var reader = new StringReader(machineLog);
        return Parse(reader, sourceDescription, name, source);
    }

    /// <param name="reader">The machine log, streamed.</param>
    /// <param name="sourceDescription">The file or command it came from (already masked), for the result.</param>
    /// <param name="name">The backup name to report; null = the archive-dir name duplicity shows, if any.</param>
    /// <param name="source"><see cref="BackupSourceKind.MachineLog"/> for a saved file, <see cref="BackupSourceKind.LiveRun"/> for a live run.</param>
    public static BackupCollection Parse(TextReader reader, string sourceDescription, string? name = null, BackupSourceKind source = BackupSourceKind.MachineLog)
        => Parse(ReferenceMachineLogReader.Read(reader), sourceDescription, name, source);

    public static BackupCollection Parse(IEnumerable<MachineLogStanza> stanzas, string sourceDescription, string? name = null, BackupSourceKind source = BackupSourceKind.MachineLog)
    {
        var builder = new CollectionBuilder();
        var listings = 0;
        var changesTables = 0;
        var lastFullSeen = false;
        var anyStanza = false;
        string? firstError = null;
        var errors = new List<string>();
        foreach (var stanza in stanzas)
        {
            anyStanza = true;
            // WARNING 3 (unnecessary_sig) and ERROR 3 (hostname mismatch) share the code; the listing is never either.
            if (stanza.Code == 3 && !IsErrorLevel(stanza.Level) && !stanza.IsWarning)
            {
                if (stanza.ExtraLines.Count == 0)
                {
                    changesTables++;
                    continue;
                }
                builder.ResetListing();
                ReadListing(stanza, builder);
                listings++;
                continue;
            }
            if (IsErrorLevel(stanza.Level))
            {
                var text = FirstLine(stanza);
                var described = $"ERROR {stanza.Code}{(stanza.Extra.Length > 0 ? " " + stanza.Extra : "")}: {text}";
                firstError ??= described;
                errors.Add(described);
                continue;
            }
            if (stanza.IsWarning)
            {
                if (stanza.Code is 2 or 4 or 5 or 6) builder.AddWarning(stanza.MessageText.TrimEnd());
                if (stanza.Code == 5 && StatusTextLabels.OldIncompleteWarning().IsMatch(FirstLine(stanza))) builder.OldIncompleteWarningSeen = true;
                continue;
            }
            foreach (var line in stanza.Message)
            {
                if (StatusTextLabels.LastFullBackup().IsMatch(line)) lastFullSeen = true;
                else if (builder.DuplicityVersion is null && StatusTextLabels.VersionBanner().Match(line) is { Success: true } v) builder.DuplicityVersion = v.Groups["v"].Value;
            }
        }

        if (listings == 0)
        {
            if (firstError is not null) throw new CheckException($"duplicity failed, no collection-status listing: {firstError}");
            if (changesTables > 0)
                throw new CheckException($"{Where} holds --show-changes-in-set/--file-changed/--jsonstat output, not the chain listing: run plain 'duplicity collection-status'");
            if (lastFullSeen) throw new CheckException(StatusTextLabels.NoListingMessage);
            throw new CheckException(anyStanza
                ? $"{Where} holds no collection-status listing (no code-3 stanza with chain lines): not a collection-status log?"
                : $"{Where} is empty or not a duplicity machine log (no 'LEVEL CODE' stanza found)");
        }
        // Non-fatal errors next to a listing (0.8/2.0 "Error processing remote manifest") are worth showing.
        foreach (var e in errors) builder.AddWarning(e);
        return builder.Build(source, sourceDescription, name);
    }

    private static bool IsErrorLevel(string level) => level is "ERROR" or "CRITICAL";

    private static string FirstLine(MachineLogStanza stanza)
    {
        foreach (var line in stanza.Message) if (line.Length > 0) return line;
        return "";
    }

    private static void ReadListing(MachineLogStanza stanza, CollectionBuilder builder)
    {
        bool orphanedSeen = false, incompleteSeen = false;
        var lineNumber = stanza.LineNumber;
        foreach (var line in stanza.ExtraLines)
        {
            lineNumber++;
            var span = line.AsSpan();
            if (span.Length > 0 && span[0] == ' ')
            {
                if (!builder.ChainOpen) throw Unrecognised(lineNumber, line, "a backup set outside any chain");
                ReadSet(span[1..], lineNumber, line, builder);
            }
            else if (span.SequenceEqual("chain-complete"))
            {
                builder.EndChain(Where);
                builder.StartChain(ChainKind.Primary);
            }
            else if (span.StartsWith("chain-no-sig"))
            {
                builder.EndChain(Where);
                builder.StartChain(ChainKind.Secondary);
            }
            else if (span.StartsWith("chain"))
            {
                throw Unrecognised(lineNumber, line, "an unknown kind of chain");
            }
            else if (span.StartsWith("orphaned-sets-num "))
            {
                builder.EndChain(Where);
                builder.OrphanedSets = Count(span["orphaned-sets-num ".Length..], lineNumber, line);
                orphanedSeen = true;
            }
            else if (span.StartsWith("incomplete-sets-num "))
            {
                builder.EndChain(Where);
                builder.IncompleteSets = Count(span["incomplete-sets-num ".Length..], lineNumber, line);
                incompleteSeen = true;
            }
            else if (builder.ChainOpen)
            {
                // Inside a chain only set lines belong: a damaged set line (its leading space or its "chain-complete"
                // lost) skipped here would silently drop a backup or merge two chains.
                throw Unrecognised(lineNumber, line, "a line inside a chain that is neither a backup set nor a chain");
            }
            else if (!IsKeywordLine(span))
            {
                throw Unrecognised(lineNumber, line, "a line that is not 'keyword value'");
            }
            // "backend BackendWrapper", "archive-dir (. dir)" and unknown keywords: nothing we need (README-LOG: ignore).
        }
        builder.EndChain(Where);
        if (!orphanedSeen || !incompleteSeen)
            throw new CheckException($"{Where}: the listing at line {stanza.LineNumber} lacks orphaned-sets-num/incomplete-sets-num (cut off?)");
        foreach (var line in stanza.Message)
        {
            var m = StatusTextLabels.ArchiveDir().Match(line);
            if (m.Success)
            {
                builder.ArchiveName = CollectionBuilder.NameFromArchiveDir(m.Groups["path"].Value);
                break;
            }
        }
    }

    /// <summary>"full 20261126T101333Z 3 enc" (the leading space already removed).</summary>
    private static void ReadSet(ReadOnlySpan<char> span, long lineNumber, string line, CollectionBuilder builder)
    {
        Span<Range> parts = stackalloc Range[5];
        if (span.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries) != 4) throw Unrecognised(lineNumber, line, "a backup set line that is not 'full|inc TIME VOLUMES enc|noenc'");
        var typeText = span[parts[0]];
        BackupSetType type;
        if (typeText.SequenceEqual("full")) type = BackupSetType.Full;
        else if (typeText.SequenceEqual("inc")) type = BackupSetType.Incremental;
        else throw Unrecognised(lineNumber, line, "an unknown backup set type");
        if (!DuplicityTime.TryParse(span[parts[1]], out var time))
            throw Unrecognised(lineNumber, line, "a time that is not YYYYMMDDTHHMMSSZ (--old-filenames times are not supported)");
        // File names roll over like upstream's timegm, but duplicity's own strftime never writes Feb 30: here
        // such a stamp is damage, not a date to guess.
        if (!DuplicityTime.IsCalendarExact(span[parts[1]], time))
            throw Unrecognised(lineNumber, line, "a time that is not a real calendar date");
        if (!int.TryParse(span[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var volumes))
            throw Unrecognised(lineNumber, line, "a volume count that is not a number");
        var encText = span[parts[3]];
        bool encrypted;
        if (encText.SequenceEqual("enc")) encrypted = true;
        else if (encText.SequenceEqual("noenc")) encrypted = false;
        else throw Unrecognised(lineNumber, line, "neither enc nor noenc");
        builder.AddSet(type, time, volumes, encrypted);
    }

    /// <summary>"keyword" or "keyword value": a lowercase word of letters, digits and dashes first.</summary>
    private static bool IsKeywordLine(ReadOnlySpan<char> line)
    {
        var end = line.IndexOf(' ');
        var word = end < 0 ? line : line[..end];
        if (word.Length == 0 || !char.IsAsciiLetterLower(word[0])) return false;
        foreach (var c in word) if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-') return false;
        return true;
    }

    private static int Count(ReadOnlySpan<char> text, long lineNumber, string line)
        => int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Unrecognised(lineNumber, line, "a count that is not a number");

    private static CheckException Unrecognised(long lineNumber, string line, string what)
        => new($"{Where}, line {lineNumber}: {what}: '{Shorten(line)}'");

    internal static string Shorten(string line) => line.Length <= 80 ? line : line[..77] + "...";
}
