using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.CollectionStatus;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus.Reference;

// The reading before issue 6's span parsing (commit f522504), frozen as the oracle the fast path is compared with.
// Change it only together with a deliberate change of behaviour in the parser it mirrors.
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
internal static class ReferenceStatusTextParser
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
        var parse = new TextParse(zone);
        string? line;
        while ((line = reader.ReadLine()) is not null) parse.Line(line);
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
        private readonly CollectionBuilder builder = new();
        private State state = State.BeforeBlock;
        private long lineNumber;
        private string? previousLine;
        private bool lastFullSeen, germanSeen, nonAsciiSeen, jsonSeen;
        private string? failureLine;
        private int otherLinesBeforeBlock, nonBlankLines, listings;
        private StringBuilder? warning;

        // The block being read.
        private int? declaredSecondaries;
        private int secondaryHeadings;
        private bool primaryDecided, orphanedSeen, incompleteSeen;
        private ChainKind? pendingKind;

        // The chain being read.
        private string? chainStart, chainEnd;
        private DateTime? firstRowTime, lastRowTime;
        private int? declaredSets, declaredVolumes;
        private bool tableHeaderSeen;
        private int volumesSum;

        public void Line(string raw)
        {
            lineNumber++;
            var line = StripLogTimestamp(raw);
            if (line.Length > 0 && string.IsNullOrWhiteSpace(line)) line = "";
            if (line.Length > 0) nonBlankLines++;
            switch (state)
            {
                case State.BeforeBlock: BeforeBlock(line); break;
                case State.AfterHeader:
                    if (line != StatusTextLabels.HeaderRule) throw Unknown(line);
                    state = State.InBlock;
                    break;
                case State.InBlock: InBlock(line); break;
                case State.InChain: InChain(line); break;
                case State.Done:
                    if (StatusTextLabels.Header().IsMatch(line)) StartBlock(line);
                    break;
            }
            previousLine = line;
        }

        public CollectionBuilder Finish()
        {
            FlushWarning();
            if (state == State.Done) return builder;
            if (state != State.BeforeBlock || listings > 0)
                throw new CheckException($"the collection-status output ends inside its listing (after line {lineNumber}): the text is cut off");
            if (nonBlankLines == 0) throw new CheckException("the collection-status output is empty");
            if (failureLine is not null) throw new CheckException($"duplicity failed, no collection-status listing: {MachineStatusParser.Shorten(failureLine)}");
            if (lastFullSeen && otherLinesBeforeBlock == 0) throw new CheckException(StatusTextLabels.NoListingMessage);
            if (lastFullSeen || jsonSeen)
                throw new CheckException("the collection-status output holds no chain listing, only other text (--show-changes-in-set, --file-changed or --jsonstat output?): run plain 'duplicity collection-status'");
            if (nonAsciiSeen)
                throw new CheckException($"no 'Collection Status' block found; if duplicity printed it in another language, {StatusTextLabels.LanguageAdvice}");
            throw new CheckException("this is not duplicity collection-status output: no 'Collection Status' block found");
        }

        private void BeforeBlock(string line)
        {
            if (!nonAsciiSeen && !Ascii.IsValid(line)) nonAsciiSeen = true;
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
                lastFullSeen = true;
                return;
            }
            if (StatusTextLabels.WarningStart().IsMatch(line))
            {
                FlushWarning();
                warning = new StringBuilder(line);
                if (StatusTextLabels.OldIncompleteWarning().IsMatch(line)) builder.OldIncompleteWarningSeen = true;
                return;
            }
            if (warning is not null && IsWarningDetail(line))
            {
                warning.Append('\n').Append(line);
                return;
            }
            FlushWarning();
            if (line == StatusTextLabels.HeaderRule && previousLine is { Length: > 0 } heading)
                throw new CheckException($"the collection-status header '{MachineStatusParser.Shorten(heading)}' is in a language this check does not read: {StatusTextLabels.LanguageAdvice}");
            if (builder.DuplicityVersion is null && StatusTextLabels.VersionBanner().Match(line) is { Success: true } v)
            {
                builder.DuplicityVersion = v.Groups["v"].Value;
                return;
            }
            if (otherLinesBeforeBlock == 0 && line[0] == '{') jsonSeen = true;
            if (failureLine is null && StatusTextLabels.FailureLine().IsMatch(line)) failureLine = line;
            otherLinesBeforeBlock++;
        }

        private void StartBlock(string header)
        {
            FlushWarning();
            builder.ResetListing();
            if (header != "Collection Status") germanSeen = true;
            declaredSecondaries = null;
            secondaryHeadings = 0;
            primaryDecided = orphanedSeen = incompleteSeen = false;
            pendingKind = null;
            state = State.AfterHeader;
        }

        private void InBlock(string line)
        {
            if (line.Length == 0 || StatusTextLabels.Backend().IsMatch(line)) return;
            if (line == StatusTextLabels.ChainRule)
            {
                var kind = pendingKind ?? throw new CheckException($"line {lineNumber} of the collection-status output: a chain without a 'Secondary chain'/'Found primary backup chain' heading");
                builder.StartChain(kind);
                chainStart = chainEnd = null;
                firstRowTime = lastRowTime = null;
                declaredSets = declaredVolumes = null;
                tableHeaderSeen = false;
                volumesSum = 0;
                state = State.InChain;
                return;
            }
            System.Text.RegularExpressions.Match m;
            if ((m = StatusTextLabels.SecondaryChain().Match(line)).Success)
            {
                var index = Number(m, "i");
                if (pendingKind is not null || primaryDecided || index != secondaryHeadings + 1 || Number(m, "n") != declaredSecondaries)
                    throw Inconsistent($"'{line}' out of order");
                secondaryHeadings = index;
                pendingKind = ChainKind.Secondary;
            }
            else if (StatusTextLabels.PrimaryChain().IsMatch(line))
            {
                if (pendingKind is not null || primaryDecided) throw Inconsistent($"'{line}' out of order");
                primaryDecided = true;
                pendingKind = ChainKind.Primary;
            }
            else if (StatusTextLabels.NoPrimaryChain().IsMatch(line))
            {
                if (pendingKind is not null || primaryDecided) throw Inconsistent($"'{line}' out of order");
                primaryDecided = true;
            }
            else if ((m = StatusTextLabels.SecondaryCount().Match(line)).Success)
            {
                if (declaredSecondaries is not null) throw Inconsistent("the secondary chain count appears twice");
                declaredSecondaries = Number(m, "n");
            }
            else if ((m = StatusTextLabels.ArchiveDir().Match(line)).Success)
            {
                builder.ArchiveName = CollectionBuilder.NameFromArchiveDir(m.Groups["path"].Value);
            }
            else if ((m = StatusTextLabels.OrphanedCount().Match(line)).Success)
            {
                builder.OrphanedSets = Number(m, "n");
                orphanedSeen = true;
            }
            else if ((m = StatusTextLabels.IncompleteCount().Match(line)).Success)
            {
                builder.IncompleteSets = Number(m, "n");
                incompleteSeen = true;
            }
            else if (StatusTextLabels.MayBeDeleted().IsMatch(line))
            {
                if (!orphanedSeen || !incompleteSeen) throw Inconsistent("the 'cleanup' advice without the orphaned and incomplete counts");
                EndBlock();
            }
            else if (StatusTextLabels.NothingOrphaned().IsMatch(line))
            {
                builder.OrphanedSets = builder.IncompleteSets = 0;
                EndBlock();
            }
            else
            {
                throw Unknown(line);
            }
        }

        private void InChain(string line)
        {
            if (tableHeaderSeen && SetRowParser.TryMatch(line, out var row))
            {
                AddRow(row, line);
                return;
            }
            if (line == StatusTextLabels.ChainRule)
            {
                EndChain();
                return;
            }
            if (line.Length == 0) return;
            // IsMatch and the text after the label: a Match object and a group lookup by name per label line were
            // a quarter of this parser's allocations (10,000 sets, issue 6). The labels contain no ": ".
            if (StatusTextLabels.ChainStart().IsMatch(line)) chainStart = AfterLabel(line).ToString();
            else if (StatusTextLabels.ChainEnd().IsMatch(line)) chainEnd = AfterLabel(line).ToString();
            else if (StatusTextLabels.SetCount().IsMatch(line)) declaredSets = Number(AfterLabel(line));
            else if (StatusTextLabels.VolumeCount().IsMatch(line)) declaredVolumes = Number(AfterLabel(line));
            else if (StatusTextLabels.TableHeader().IsMatch(line)) tableHeaderSeen = true;
            else throw Unknown(line);
        }

        private void AddRow(SetRowParts row, string line)
        {
            var typeText = line.AsSpan(row.Type);
            BackupSetType type;
            if (StatusTextLabels.IsFullLabel(typeText)) type = BackupSetType.Full;
            else if (StatusTextLabels.IsIncrementalLabel(typeText)) type = BackupSetType.Incremental;
            else throw Unknown(line);
            var timeText = line.AsSpan(row.Time);
            if (!AscTime.TryParseLocal(timeText, out var local))
                throw new CheckException($"line {lineNumber} of the collection-status output: '{timeText}' is not a valid date");
            var time = AscTime.ToUtc(local, zone);
            if (!int.TryParse(line.AsSpan(row.Volumes), NumberStyles.None, CultureInfo.InvariantCulture, out var volumes))
                throw new CheckException($"line {lineNumber} of the collection-status output: volume count out of range");
            builder.AddSet(type, time, volumes, encrypted: null);
            volumesSum += volumes;
            firstRowTime ??= local;
            lastRowTime = local;
        }

        private void EndChain()
        {
            var rows = builder.OpenChainSetCount;
            if (declaredSets is null || declaredVolumes is null || chainStart is null || chainEnd is null || !tableHeaderSeen)
                throw Inconsistent("a chain without its start/end time, set count, volume count or table header");
            if (rows != declaredSets) throw Inconsistent($"a chain says {declaredSets} backup sets but lists {rows}");
            if (volumesSum != declaredVolumes) throw Inconsistent($"a chain says {declaredVolumes} volumes but its sets add up to {volumesSum}");
            if (!SameTime(chainStart, firstRowTime) || !SameTime(chainEnd, lastRowTime))
                throw Inconsistent($"a chain's start/end time ({chainStart} / {chainEnd}) differs from its first/last set");
            builder.EndChain("the collection-status output");
            pendingKind = null;
            state = State.InBlock;
        }

        private void EndBlock()
        {
            if (!primaryDecided) throw Inconsistent("neither a primary chain nor 'No backup chains with active signatures found'");
            if (pendingKind is not null) throw Inconsistent("a chain heading without its chain");
            if (declaredSecondaries is null) throw Inconsistent("no 'Found N secondary backup chain(s).' line");
            if (declaredSecondaries != builder.SecondaryChainCount)
                throw Inconsistent($"it says {declaredSecondaries} secondary chains but lists {builder.SecondaryChainCount}");
            listings++;
            state = State.Done;
        }

        private void FlushWarning()
        {
            if (warning is null) return;
            builder.AddWarning(warning.ToString());
            warning = null;
        }

        /// <summary>Lines that belong to the warning above them: file names, file lists, 3.1.0's missing-volume details.</summary>
        private static bool IsWarningDetail(string line)
            => line[0] is '[' or ' ' || line.StartsWith("duplicity-", StringComparison.Ordinal) || line.StartsWith("WARNING: ", StringComparison.Ordinal);

        private static bool SameTime(string text, DateTime? row)
            => row is not null && AscTime.TryParseLocal(text, out var local) && local == row;

        private static string StripLogTimestamp(string line)
        {
            if (line.Length < 24 || !char.IsAsciiDigit(line[0]) || line[4] != '-') return line;
            var m = StatusTextLabels.LogTimestampPrefix().Match(line);
            return m.Success ? line[m.Length..] : line;
        }

        private int Number(System.Text.RegularExpressions.Match m, string group) => Number(m.Groups[group].ValueSpan);

        private int Number(ReadOnlySpan<char> digits)
            => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new CheckException($"line {lineNumber} of the collection-status output: number out of range");

        private static ReadOnlySpan<char> AfterLabel(string line) => line.AsSpan(line.IndexOf(": ", StringComparison.Ordinal) + 2);

        private CheckException Unknown(string line)
        {
            var shown = MachineStatusParser.Shorten(line.Trim());
            return germanSeen || !Ascii.IsValid(line)
                ? new CheckException($"line {lineNumber} of the collection-status output is in a language or wording this check does not know: '{shown}' ({StatusTextLabels.LanguageAdvice})")
                : new CheckException($"line {lineNumber} of the collection-status output is not understood: '{shown}'");
        }

        private CheckException Inconsistent(string what)
            => new($"the collection-status listing does not add up at line {lineNumber}: {what}");
    }
}
