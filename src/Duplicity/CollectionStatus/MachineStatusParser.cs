using System.Globalization;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.CollectionStatus;

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
public static class MachineStatusParser
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
    {
        using var lines = new SpanLineReader(reader, source: Where);
        return Parse(lines, sourceDescription, name, source);
    }

    /// <summary>The listing's lines are read as they stream, never kept (issue 6: 34,000 strings for 10,000 sets).</summary>
    internal static BackupCollection Parse(SpanLineReader lines, string sourceDescription, string? name = null, BackupSourceKind source = BackupSourceKind.MachineLog)
    {
        var parse = new MachineStatusParse();
        var splitter = new MachineLogSplitter(parse);
        while (lines.TryReadLine(out var line)) splitter.Line(line);
        splitter.End();
        return parse.Finish(sourceDescription, name, source);
    }

    /// <summary>The same, from stanzas already read (each one's lines are handed over as the splitter would).</summary>
    public static BackupCollection Parse(IEnumerable<MachineLogStanza> stanzas, string sourceDescription, string? name = null, BackupSourceKind source = BackupSourceKind.MachineLog)
    {
        var parse = new MachineStatusParse();
        foreach (var stanza in stanzas)
        {
            parse.StanzaStart(stanza.Level, stanza.Code, stanza.Extra, stanza.LineNumber);
            var lineNumber = stanza.LineNumber;
            foreach (var line in stanza.ExtraLines) parse.ExtraLine(line, ++lineNumber);
            foreach (var line in stanza.Message) parse.MessageLine(line);
            parse.StanzaEnd();
        }
        return parse.Finish(sourceDescription, name, source);
    }

    /// <summary>One pass over the stanzas, as the splitter hands them out.</summary>
    private sealed class MachineStatusParse : IMachineLogSink
    {
        private readonly CollectionBuilder _builder = new();
        private readonly List<string> _errors = [];
        private int _listings, _changesTables;
        private bool _lastFullSeen, _anyStanza;
        private string? _firstError;

        // The stanza being read.
        private StanzaKind _kind;
        private string _extra = "";
        private int _code;
        private long _start;
        private int _extraLines;
        private string? _firstMessageLine;
        private List<string>? _message;

        // The listing being read (a listing stanza with extra lines).
        private bool _orphanedSeen, _incompleteSeen, _archiveDirSeen;

        private enum StanzaKind
        {
            Listing,
            Error,
            Warning,
            Other,
        }

        public void StanzaStart(string level, int code, string extra, long lineNumber)
        {
            _anyStanza = true;
            // WARNING 3 (unnecessary_sig) and ERROR 3 (hostname mismatch) share the code; the listing is never either.
            _kind = IsErrorLevel(level) ? StanzaKind.Error
                : level == "WARNING" ? StanzaKind.Warning
                : code == 3 ? StanzaKind.Listing
                : StanzaKind.Other;
            _code = code;
            _extra = extra;
            _start = lineNumber;
            _extraLines = 0;
            _firstMessageLine = null;
            _message = _kind == StanzaKind.Warning ? [] : null;
        }

        public void ExtraLine(ReadOnlySpan<char> line, long lineNumber)
        {
            if (_kind != StanzaKind.Listing) return;
            if (_extraLines++ == 0)
            {
                // A code-3 stanza with extra lines is the listing: it replaces any earlier one (-v8 logs it twice).
                _builder.ResetListing();
                _orphanedSeen = _incompleteSeen = _archiveDirSeen = false;
            }
            ReadListingLine(line, lineNumber);
        }

        public void MessageLine(ReadOnlySpan<char> text)
        {
            if (_firstMessageLine is null && text.Length > 0) _firstMessageLine = text.ToString();
            switch (_kind)
            {
                case StanzaKind.Listing:
                    // The first "Archive dir:" line of the listing's message names the backup.
                    if (_extraLines > 0 && !_archiveDirSeen && StatusTextLabels.ArchiveDir().IsMatch(text))
                    {
                        _builder.ArchiveName = CollectionBuilder.NameFromArchiveDir(StatusTextLabels.AfterLabel(text).ToString());
                        _archiveDirSeen = true;
                    }
                    break;
                case StanzaKind.Warning:
                    _message!.Add(text.ToString());
                    break;
                case StanzaKind.Other:
                    if (StatusTextLabels.LastFullBackup().IsMatch(text)) _lastFullSeen = true;
                    else if (_builder.DuplicityVersion is null && StatusTextLabels.VersionBanner().IsMatch(text))
                        _builder.DuplicityVersion = StatusTextLabels.VersionBanner().Match(text.ToString()).Groups["v"].Value;
                    break;
            }
        }

        public void StanzaEnd()
        {
            switch (_kind)
            {
                case StanzaKind.Listing when _extraLines == 0:
                    _changesTables++;
                    break;
                case StanzaKind.Listing:
                    _builder.EndChain(Where);
                    if (!_orphanedSeen || !_incompleteSeen)
                        throw new CheckException($"{Where}: the listing at line {_start} lacks orphaned-sets-num/incomplete-sets-num (cut off?)");
                    _listings++;
                    break;
                case StanzaKind.Error:
                    var described = $"ERROR {_code}{(_extra.Length > 0 ? " " + _extra : "")}: {_firstMessageLine}";
                    _firstError ??= described;
                    _errors.Add(described);
                    break;
                case StanzaKind.Warning:
                    if (_code is 2 or 4 or 5 or 6) _builder.AddWarning(string.Join('\n', _message!).TrimEnd());
                    if (_code == 5 && StatusTextLabels.OldIncompleteWarning().IsMatch(_firstMessageLine ?? "")) _builder.OldIncompleteWarningSeen = true;
                    break;
            }
        }

        public BackupCollection Finish(string sourceDescription, string? name, BackupSourceKind source)
        {
            if (_listings == 0)
            {
                if (_firstError is not null) throw new CheckException($"duplicity failed, no collection-status listing: {_firstError}");
                if (_changesTables > 0)
                    throw new CheckException($"{Where} holds --show-changes-in-set/--file-changed/--jsonstat output, not the chain listing: run plain 'duplicity collection-status'");
                if (_lastFullSeen) throw new CheckException(StatusTextLabels.NoListingMessage);
                throw new CheckException(_anyStanza
                    ? $"{Where} holds no collection-status listing (no code-3 stanza with chain lines): not a collection-status log?"
                    : $"{Where} is empty or not a duplicity machine log (no 'LEVEL CODE' stanza found)");
            }
            // Non-fatal errors next to a listing (0.8/2.0 "Error processing remote manifest") are worth showing.
            foreach (var e in _errors) _builder.AddWarning(e);
            return _builder.Build(source, sourceDescription, name);
        }

        private void ReadListingLine(ReadOnlySpan<char> span, long lineNumber)
        {
            if (span.Length > 0 && span[0] == ' ')
            {
                if (!_builder.ChainOpen) throw Unrecognised(lineNumber, span, "a backup set outside any chain");
                ReadSet(span, lineNumber, _builder);
            }
            else if (span.SequenceEqual("chain-complete"))
            {
                _builder.EndChain(Where);
                _builder.StartChain(ChainKind.Primary);
            }
            else if (span.StartsWith("chain-no-sig"))
            {
                _builder.EndChain(Where);
                _builder.StartChain(ChainKind.Secondary);
            }
            else if (span.StartsWith("chain"))
            {
                throw Unrecognised(lineNumber, span, "an unknown kind of chain");
            }
            else if (span.StartsWith("orphaned-sets-num "))
            {
                _builder.EndChain(Where);
                _builder.OrphanedSets = Count(span["orphaned-sets-num ".Length..], lineNumber, span);
                _orphanedSeen = true;
            }
            else if (span.StartsWith("incomplete-sets-num "))
            {
                _builder.EndChain(Where);
                _builder.IncompleteSets = Count(span["incomplete-sets-num ".Length..], lineNumber, span);
                _incompleteSeen = true;
            }
            else if (_builder.ChainOpen)
            {
                // Inside a chain only set lines belong: a damaged set line (its leading space or its "chain-complete"
                // lost) skipped here would silently drop a backup or merge two chains.
                throw Unrecognised(lineNumber, span, "a line inside a chain that is neither a backup set nor a chain");
            }
            else if (!IsKeywordLine(span))
            {
                throw Unrecognised(lineNumber, span, "a line that is not 'keyword value'");
            }
            // "backend BackendWrapper", "archive-dir (. dir)" and unknown keywords: nothing we need (README-LOG: ignore).
        }
    }

    private static bool IsErrorLevel(string level) => level is "ERROR" or "CRITICAL";

    /// <summary>" full 20261126T101333Z 3 enc".</summary>
    private static void ReadSet(ReadOnlySpan<char> line, long lineNumber, CollectionBuilder builder)
    {
        var span = line[1..];
        Span<Range> parts = stackalloc Range[4];
        if (!TrySplitFour(span, parts)) throw Unrecognised(lineNumber, line, "a backup set line that is not 'full|inc TIME VOLUMES enc|noenc'");
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

    /// <summary>
    /// Exactly four words separated by one or more blanks, as <c>Split(parts, ' ', RemoveEmptyEntries) == 4</c>
    /// decides (that split and its separator list were a quarter of reading a set line, issue 6).
    /// </summary>
    internal static bool TrySplitFour(ReadOnlySpan<char> text, Span<Range> parts)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] == ' ') i++;
            if (i == text.Length) return count == 4;
            if (count == 4) return false;
            var start = i;
            while (i < text.Length && text[i] != ' ') i++;
            parts[count++] = start..i;
        }
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

    private static int Count(ReadOnlySpan<char> text, long lineNumber, ReadOnlySpan<char> line)
        => int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Unrecognised(lineNumber, line, "a count that is not a number");

    private static CheckException Unrecognised(long lineNumber, ReadOnlySpan<char> line, string what)
        => new($"{Where}, line {lineNumber}: {what}: '{Shorten(line)}'");

    // Between words: half a URL would escape the secret masking.
    internal static string Shorten(string line) => ShortText.Cut(line, 80);

    internal static string Shorten(ReadOnlySpan<char> line) => ShortText.Cut(line, 80);
}
