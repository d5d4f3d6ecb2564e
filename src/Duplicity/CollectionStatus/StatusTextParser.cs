using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Duplicity.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// Acquisition: builds a <see cref="BackupCollection"/> from the human text of <c>duplicity collection-status</c>
/// (0.7 to 3.1, duplicity-formats.md §2): warnings, then <c>Last full backup date:</c>, then the
/// <c>Collection Status</c> block with secondary chains, the primary chain (or
/// <c>No backup chains with active signatures found</c>) and the orphaned/incomplete counts.
/// Dates are local times with no zone: they are read in the zone given (see <see cref="AscTime"/> for the
/// daylight-saving rule). Lines are streamed and matched by regex, never by column.
/// </summary>
/// <remarks>
/// Every line inside the block must be understood: an unknown label (another language, a new wording) or numbers
/// that do not add up (sets/volumes per chain, secondary chain count, start/end times) give a
/// <see cref="CheckException"/> with the reason, as do text with no block at all (empty, random, 3.0.1's lone
/// <c>Last full backup date:</c>, <c>--show-changes-in-set</c> output) and a block that is cut off. Lines before
/// the block other than warnings are ignored (-v8 chatter; the block is printed twice at -v8: the last one wins).
/// </remarks>
public static class StatusTextParser
{
    public static BackupCollection Parse(string text, TimeZoneInfo zone, string sourceDescription, string? name = null)
    {
        using var reader = new StringReader(text);
        return Parse(reader, zone, sourceDescription, name);
    }

    /// <param name="reader">The text, streamed.</param>
    /// <param name="zone">The zone duplicity ran in (its TZ): the dates carry no zone.</param>
    /// <param name="sourceDescription">The file it came from, for the result.</param>
    /// <param name="name">The backup name to report; null = the archive-dir name duplicity shows, if any.</param>
    public static BackupCollection Parse(TextReader reader, TimeZoneInfo zone, string sourceDescription, string? name = null)
    {
        using var lines = new SpanLineReader(reader);
        return Parse(lines, zone, sourceDescription, name);
    }

    /// <summary>Lines as spans: only the few lines that are kept (warnings, chain times, messages) become strings (issue 6).</summary>
    internal static BackupCollection Parse(SpanLineReader lines, TimeZoneInfo zone, string sourceDescription, string? name = null)
    {
        var parse = new TextParse(zone);
        while (lines.TryReadLine(out var line)) parse.Line(line);
        return parse.Finish().Build(BackupSourceKind.StatusText, sourceDescription, name);
    }

    private enum State
    {
        BeforeBlock,
        AfterHeader,
        InBlock,
        InChain,
        Done,
    }

    /// <summary>One pass over the text: a line-driven state machine.</summary>
    private sealed class TextParse(TimeZoneInfo zone)
    {
        private readonly CollectionBuilder _builder = new();
        private State _state = State.BeforeBlock;
        private long _lineNumber;
        private readonly LineCopy _previousLine = new();
        private bool _lastFullSeen, _germanSeen, _nonAsciiSeen, _jsonSeen;
        private string? _failureLine;
        private int _otherLinesBeforeBlock, _nonBlankLines, _listings;
        private StringBuilder? _warning;

        // The block being read.
        private int? _declaredSecondaries;
        private int _secondaryHeadings;
        private bool _primaryDecided, _orphanedSeen, _incompleteSeen;
        private ChainKind? _pendingKind;

        // The chain being read.
        private readonly LineCopy _chainStart = new(), _chainEnd = new();
        private DateTime? _firstRowTime, _lastRowTime;
        private int? _declaredSets, _declaredVolumes;
        private bool _tableHeaderSeen;
        private int _volumesSum;

        public void Line(ReadOnlySpan<char> raw)
        {
            _lineNumber++;
            var line = StripLogTimestamp(raw);
            // (The last character first: a set row is 16 blanks before its first letter.)
            if (line.Length > 0 && char.IsWhiteSpace(line[^1]) && line.IsWhiteSpace()) line = [];
            if (line.Length > 0) _nonBlankLines++;
            switch (_state)
            {
                case State.BeforeBlock: BeforeBlock(line); break;
                case State.AfterHeader:
                    if (!line.SequenceEqual(StatusTextLabels.HeaderRule)) throw Unknown(line);
                    _state = State.InBlock;
                    break;
                case State.InBlock: InBlock(line); break;
                case State.InChain: InChain(line); break;
                case State.Done:
                    if (StatusTextLabels.Header().IsMatch(line)) StartBlock(line);
                    break;
            }
            // Only BeforeBlock looks at the previous line, and no state leads back to it.
            if (_state == State.BeforeBlock) _previousLine.Set(line);
        }

        public CollectionBuilder Finish()
        {
            FlushWarning();
            if (_state == State.Done) return _builder;
            if (_state != State.BeforeBlock || _listings > 0)
                throw new CheckException($"the collection-status output ends inside its listing (after line {_lineNumber}): the text is cut off");
            if (_nonBlankLines == 0) throw new CheckException("the collection-status output is empty");
            if (_failureLine is not null) throw new CheckException($"duplicity failed, no collection-status listing: {MachineStatusParser.Shorten(_failureLine)}");
            if (_lastFullSeen && _otherLinesBeforeBlock == 0) throw new CheckException(StatusTextLabels.NoListingMessage);
            if (_lastFullSeen || _jsonSeen)
                throw new CheckException("the collection-status output holds no chain listing, only other text (--show-changes-in-set, --file-changed or --jsonstat output?): run plain 'duplicity collection-status'");
            if (_nonAsciiSeen)
                throw new CheckException($"no 'Collection Status' block found; if duplicity printed it in another language, {StatusTextLabels.LanguageAdvice}");
            throw new CheckException("this is not duplicity collection-status output: no 'Collection Status' block found");
        }

        private void BeforeBlock(ReadOnlySpan<char> line)
        {
            if (!_nonAsciiSeen && !Ascii.IsValid(line)) _nonAsciiSeen = true;
            if (line.Length == 0)
            {
                FlushWarning();
                return;
            }
            if (StatusTextLabels.Header().IsMatch(line))
            {
                StartBlock(line);
                return;
            }
            if (StatusTextLabels.LastFullBackup().IsMatch(line))
            {
                FlushWarning();
                _lastFullSeen = true;
                return;
            }
            if (StatusTextLabels.WarningStart().IsMatch(line))
            {
                FlushWarning();
                _warning = new StringBuilder().Append(line);
                if (StatusTextLabels.OldIncompleteWarning().IsMatch(line)) _builder.OldIncompleteWarningSeen = true;
                return;
            }
            if (_warning is not null && IsWarningDetail(line))
            {
                _warning.Append('\n').Append(line);
                return;
            }
            FlushWarning();
            if (line.SequenceEqual(StatusTextLabels.HeaderRule) && _previousLine.Text.Length > 0)
                throw new CheckException($"the collection-status header '{MachineStatusParser.Shorten(_previousLine.Text)}' is in a language this check does not read: {StatusTextLabels.LanguageAdvice}");
            if (_builder.DuplicityVersion is null && StatusTextLabels.VersionBanner().IsMatch(line))
            {
                _builder.DuplicityVersion = StatusTextLabels.VersionBanner().Match(line.ToString()).Groups["v"].Value;
                return;
            }
            if (_otherLinesBeforeBlock == 0 && line[0] == '{') _jsonSeen = true;
            if (_failureLine is null && StatusTextLabels.FailureLine().IsMatch(line)) _failureLine = line.ToString();
            _otherLinesBeforeBlock++;
        }

        private void StartBlock(ReadOnlySpan<char> header)
        {
            FlushWarning();
            _builder.ResetListing();
            if (!header.SequenceEqual("Collection Status")) _germanSeen = true;
            _declaredSecondaries = null;
            _secondaryHeadings = 0;
            _primaryDecided = _orphanedSeen = _incompleteSeen = false;
            _pendingKind = null;
            _state = State.AfterHeader;
        }

        private void InBlock(ReadOnlySpan<char> line)
        {
            if (line.Length == 0 || StatusTextLabels.Backend().IsMatch(line)) return;
            if (line.SequenceEqual(StatusTextLabels.ChainRule))
            {
                var kind = _pendingKind ?? throw new CheckException($"line {_lineNumber} of the collection-status output: a chain without a 'Secondary chain'/'Found primary backup chain' heading");
                _builder.StartChain(kind);
                _chainStart.Clear();
                _chainEnd.Clear();
                _firstRowTime = _lastRowTime = null;
                _declaredSets = _declaredVolumes = null;
                _tableHeaderSeen = false;
                _volumesSum = 0;
                _state = State.InChain;
                return;
            }
            // IsMatch, then the counts are the line's runs of ASCII digits (the labels hold none): no Match objects.
            if (StatusTextLabels.SecondaryChain().IsMatch(line))
            {
                var first = DigitRun(line, 0);
                var index = Number(line[first]);
                if (_pendingKind is not null || _primaryDecided || index != _secondaryHeadings + 1 || Number(line[DigitRun(line, first.End.Value)]) != _declaredSecondaries)
                    throw Inconsistent($"'{line}' out of order");
                _secondaryHeadings = index;
                _pendingKind = ChainKind.Secondary;
            }
            else if (StatusTextLabels.PrimaryChain().IsMatch(line))
            {
                if (_pendingKind is not null || _primaryDecided) throw Inconsistent($"'{line}' out of order");
                _primaryDecided = true;
                _pendingKind = ChainKind.Primary;
            }
            else if (StatusTextLabels.NoPrimaryChain().IsMatch(line))
            {
                if (_pendingKind is not null || _primaryDecided) throw Inconsistent($"'{line}' out of order");
                _primaryDecided = true;
            }
            else if (StatusTextLabels.SecondaryCount().IsMatch(line))
            {
                if (_declaredSecondaries is not null) throw Inconsistent("the secondary chain count appears twice");
                _declaredSecondaries = Number(line[DigitRun(line, 0)]);
            }
            else if (StatusTextLabels.ArchiveDir().IsMatch(line))
            {
                _builder.ArchiveName = CollectionBuilder.NameFromArchiveDir(StatusTextLabels.AfterLabel(line).ToString());
            }
            else if (StatusTextLabels.OrphanedCount().IsMatch(line))
            {
                _builder.OrphanedSets = Number(line[DigitRun(line, 0)]);
                _orphanedSeen = true;
            }
            else if (StatusTextLabels.IncompleteCount().IsMatch(line))
            {
                _builder.IncompleteSets = Number(line[DigitRun(line, 0)]);
                _incompleteSeen = true;
            }
            else if (StatusTextLabels.MayBeDeleted().IsMatch(line))
            {
                if (!_orphanedSeen || !_incompleteSeen) throw Inconsistent("the 'cleanup' advice without the orphaned and incomplete counts");
                EndBlock();
            }
            else if (StatusTextLabels.NothingOrphaned().IsMatch(line))
            {
                _builder.OrphanedSets = _builder.IncompleteSets = 0;
                EndBlock();
            }
            else
            {
                throw Unknown(line);
            }
        }

        private void InChain(ReadOnlySpan<char> line)
        {
            if (_tableHeaderSeen && SetRowParser.TryMatch(line, out var row))
            {
                AddRow(row, line);
                return;
            }
            if (line.SequenceEqual(StatusTextLabels.ChainRule))
            {
                EndChain();
                return;
            }
            if (line.Length == 0) return;
            // IsMatch and the text after the label: a Match object and a group lookup by name per label line were
            // a quarter of this parser's allocations (10,000 sets, issue 6). The labels contain no ": ".
            // The first letter of each label (English | German) only spares the patterns that cannot match: running
            // every pattern in turn on every label line was 8% of a 10,000-set run; the patterns still decide.
            var first = line[0];
            if (first is 'C' or 'E' && StatusTextLabels.ChainStart().IsMatch(line)) _chainStart.Set(StatusTextLabels.AfterLabel(line));
            else if (first is 'C' or 'L' && StatusTextLabels.ChainEnd().IsMatch(line)) _chainEnd.Set(StatusTextLabels.AfterLabel(line));
            else if (first is 'N' or 'A' && StatusTextLabels.SetCount().IsMatch(line)) _declaredSets = Number(StatusTextLabels.AfterLabel(line));
            else if (first is 'T' or 'G' && StatusTextLabels.VolumeCount().IsMatch(line)) _declaredVolumes = Number(StatusTextLabels.AfterLabel(line));
            else if (StatusTextLabels.TableHeader().IsMatch(line)) _tableHeaderSeen = true;
            else throw Unknown(line);
        }

        private void AddRow(SetRowParts row, ReadOnlySpan<char> line)
        {
            var typeText = line[row.Type];
            BackupSetType type;
            if (StatusTextLabels.IsFullLabel(typeText)) type = BackupSetType.Full;
            else if (StatusTextLabels.IsIncrementalLabel(typeText)) type = BackupSetType.Incremental;
            else throw Unknown(line);
            var timeText = line[row.Time];
            if (!AscTime.TryParseLocal(timeText, out var local))
                throw new CheckException($"line {_lineNumber} of the collection-status output: '{timeText}' is not a valid date");
            var time = AscTime.ToUtc(local, zone);
            if (!int.TryParse(line[row.Volumes], NumberStyles.None, CultureInfo.InvariantCulture, out var volumes))
                throw new CheckException($"line {_lineNumber} of the collection-status output: volume count out of range");
            _builder.AddSet(type, time, volumes, encrypted: null);
            _volumesSum += volumes;
            _firstRowTime ??= local;
            _lastRowTime = local;
        }

        private void EndChain()
        {
            var rows = _builder.OpenChainSetCount;
            if (_declaredSets is null || _declaredVolumes is null || !_chainStart.IsSet || !_chainEnd.IsSet || !_tableHeaderSeen)
                throw Inconsistent("a chain without its start/end time, set count, volume count or table header");
            if (rows != _declaredSets) throw Inconsistent($"a chain says {_declaredSets} backup sets but lists {rows}");
            if (_volumesSum != _declaredVolumes) throw Inconsistent($"a chain says {_declaredVolumes} volumes but its sets add up to {_volumesSum}");
            if (!SameTime(_chainStart.Text, _firstRowTime) || !SameTime(_chainEnd.Text, _lastRowTime))
                throw Inconsistent($"a chain's start/end time ({_chainStart.Text} / {_chainEnd.Text}) differs from its first/last set");
            _builder.EndChain("the collection-status output");
            _pendingKind = null;
            _state = State.InBlock;
        }

        private void EndBlock()
        {
            if (!_primaryDecided) throw Inconsistent("neither a primary chain nor 'No backup chains with active signatures found'");
            if (_pendingKind is not null) throw Inconsistent("a chain heading without its chain");
            if (_declaredSecondaries is null) throw Inconsistent("no 'Found N secondary backup chain(s).' line");
            if (_declaredSecondaries != _builder.SecondaryChainCount)
                throw Inconsistent($"it says {_declaredSecondaries} secondary chains but lists {_builder.SecondaryChainCount}");
            _listings++;
            _state = State.Done;
        }

        private void FlushWarning()
        {
            if (_warning is null) return;
            _builder.AddWarning(_warning.ToString());
            _warning = null;
        }

        /// <summary>Lines that belong to the warning above them: file names, file lists, 3.1.0's missing-volume details.</summary>
        private static bool IsWarningDetail(ReadOnlySpan<char> line)
            => line[0] is '[' or ' ' || line.StartsWith("duplicity-", StringComparison.Ordinal) || line.StartsWith("WARNING: ", StringComparison.Ordinal);

        private static bool SameTime(ReadOnlySpan<char> text, DateTime? row)
            => row is not null && AscTime.TryParseLocal(text, out var local) && local == row;

        private static ReadOnlySpan<char> StripLogTimestamp(ReadOnlySpan<char> line)
        {
            if (line.Length < 24 || !char.IsAsciiDigit(line[0]) || line[4] != '-') return line;
            // The pattern is anchored: its first match, if any, is the prefix.
            foreach (var m in StatusTextLabels.LogTimestampPrefix().EnumerateMatches(line)) return line[m.Length..];
            return line;
        }

        /// <summary>The first run of ASCII digits at or after <paramref name="from"/> (the line's pattern has matched, so there is one).</summary>
        private static Range DigitRun(ReadOnlySpan<char> line, int from)
        {
            var start = from + line[from..].IndexOfAnyInRange('0', '9');
            var length = line[start..].IndexOfAnyExceptInRange('0', '9');
            return start..(length < 0 ? line.Length : start + length);
        }

        private int Number(ReadOnlySpan<char> digits)
            => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new CheckException($"line {_lineNumber} of the collection-status output: number out of range");

        private CheckException Unknown(ReadOnlySpan<char> line)
        {
            var shown = MachineStatusParser.Shorten(line.Trim());
            return _germanSeen || !Ascii.IsValid(line)
                ? new CheckException($"line {_lineNumber} of the collection-status output is in a language or wording this check does not know: '{shown}' ({StatusTextLabels.LanguageAdvice})")
                : new CheckException($"line {_lineNumber} of the collection-status output is not understood: '{shown}'");
        }

        private CheckException Inconsistent(string what)
            => new($"the collection-status listing does not add up at line {_lineNumber}: {what}");
    }

    /// <summary>
    /// A copy of (part of) a line that is needed later (the previous line; a chain's start and end time), in a
    /// buffer that is reused: a string per line, or two per chain, is what issue 6 removed.
    /// </summary>
    private sealed class LineCopy
    {
        private char[] _buffer = [];
        private int _length = -1;

        public bool IsSet => _length >= 0;

        /// <summary>The text (empty when not set).</summary>
        public ReadOnlySpan<char> Text => _buffer.AsSpan(0, Math.Max(_length, 0));

        public void Set(ReadOnlySpan<char> text)
        {
            if (text.Length > _buffer.Length) _buffer = new char[Math.Max(text.Length, 2 * _buffer.Length)];
            text.CopyTo(_buffer);
            _length = text.Length;
        }

        public void Clear() => _length = -1;
    }
}
