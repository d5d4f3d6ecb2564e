using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// Streams a log (cron output, a wrapper's log, merged stdout and stderr, or duplicity's machine log, detected per
/// run) and finds its runs, failures and statistics (acquisition). Built for big logs: it reads large blocks,
/// splits lines on bytes with a vectorised search, classifies a line by its first bytes
/// (<see cref="LinePatterns"/>), and turns into a string only the lines it keeps. Machine-log stanzas of interest
/// are parsed by <see cref="MachineLogReader"/>; INFO/DEBUG stanzas (one per file at -v5 and up) are skipped.
/// Memory stays flat: finished runs go to the sink. Lines are kept as written; the evaluation masks secrets in
/// every line it shows (masking costs regular expressions, so it is paid only for what is shown).
/// </summary>
public sealed class LogScanner
{
    private const int MaxStanzaLines = 400;

    /// <summary>
    /// Bytes kept of one stanza line: 400 lines of the 1 MiB a line may have would be 800 MB of text; a stanza's
    /// first line is what classifies it, and what is shown of a line is cut at 300 characters anyway.
    /// </summary>
    private const int MaxStanzaLineBytes = 4096;
    private const int ContextLines = 8;
    private static readonly byte[] Traceback = "Traceback ("u8.ToArray();

    private readonly JobPatterns _patterns;
    private readonly bool _noPatterns;
    private readonly RunBuilder _runs;
    private readonly LineTextCache _texts = new();
    private readonly int _bufferSize;

    // Machine stanza being collected (ERROR/WARNING/NOTICE), or skipped (INFO/DEBUG).
    private List<string>? _stanza;
    private long _stanzaOffset;
    private bool _skippingStanza;

    // A text Backup Statistics block being read; the one that just closed (a repeated closing line damages it).
    private StatisticsBlockParser? _stats;
    private long _statsOffset;
    private (StatisticsBlockParser Block, LogRun Run)? _closedStats;

    // The line being dispatched ended a block that held nothing after its heading: a heading here is a repeated one
    // (a new run's block follows a whole block, never a bare heading).
    private bool _headingRepeated;

    // The line being dispatched started with a blank (Normalise drops them; a statistics heading must not have any).
    private bool _indented;

    // Inside a text traceback (after "Traceback (...):" until its exception line).
    private bool _inTraceback;
    private long _tracebackOffset;

    // The failure whose continuation lines are being read (text form).
    private FailureHit? _context;
    private int _contextLines;
    private int _contextBlanks;

    private long _safeOffset;

    /// <param name="sink">Receives every finished run.</param>
    /// <param name="patterns">The job's log_critical/log_warning/log_ignore patterns.</param>
    /// <param name="bufferSize">
    /// Bytes per read; a line longer than the buffer grows it, up to <see cref="ReadLimits.LogLineBytes"/> (a longer
    /// line is UNKNOWN naming the limit and the line's offset). 256 KiB: 64 KiB, 256 KiB and 1 MiB gave first-scan CPU
    /// times within the noise of the shared test machine (256 KiB the lowest median and minimum in 9 interleaved
    /// runs), and the smaller block keeps a megabyte off the peak memory.
    /// </param>
    public LogScanner(Action<LogRun> sink, JobPatterns? patterns = null, int bufferSize = 1 << 18)
    {
        _patterns = patterns ?? JobPatterns.None;
        _noPatterns = _patterns.IsEmpty;
        _runs = new RunBuilder(sink);
        _bufferSize = bufferSize;
    }

    /// <summary>Bytes read from the stream.</summary>
    public long BytesScanned { get; private set; }

    /// <summary>Lines examined.</summary>
    public long Lines { get; private set; }

    public int RunCount => _runs.RunCount;

    /// <summary>Lines before the first recognised one.</summary>
    public int OrphanLines => _runs.OrphanLines;

    /// <summary>
    /// How many bytes may be committed as read: the end of the last complete line, but not past the start of a
    /// stanza, statistics block or traceback still open at the end (it is read whole by the next check), and never
    /// a last line without its newline (still being written).
    /// </summary>
    public long SafeOffset => _safeOffset;

    /// <summary>
    /// Scans the stream to its end. <paramref name="baseOffset"/> is added to reported offsets. A last line without a
    /// newline is examined (a passphrase prompt has none) but not counted in <see cref="SafeOffset"/>.
    /// </summary>
    public void Scan(Stream stream, long baseOffset = 0, CancellationToken cancellation = default)
    {
        var buffer = new byte[_bufferSize];
        var filled = 0;
        var bufferBase = baseOffset;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (filled == buffer.Length) GrowForOneLine(ref buffer, bufferBase); // one line longer than the buffer
            var n = stream.Read(buffer.AsSpan(filled));
            if (n == 0) break;
            BytesScanned += n;
            filled += n;
            var pos = SplitLines(buffer, filled, bufferBase);
            if (pos > 0)
            {
                buffer.AsSpan(pos, filled - pos).CopyTo(buffer);
                filled -= pos;
                bufferBase += pos;
            }
        }
        if (filled > 0) Line(buffer.AsSpan(0, filled), bufferBase); // not counted in SafeOffset
    }

    /// <summary>
    /// The buffer holds only the start of one line (earlier lines were moved out): it doubles, up to one byte more
    /// than the line limit (a line of exactly the limit plus its newline fits); full at that size, the line is too
    /// long. Never cut: what follows a cut could be taken for a line of its own.
    /// </summary>
    private static void GrowForOneLine(ref byte[] buffer, long lineOffset)
    {
        if (buffer.Length > ReadLimits.LogLineBytes)
            throw new CheckException($"log line longer than {ReadLimits.Format(ReadLimits.LogLineBytes)} (the read limit for one line) at offset {lineOffset}");
        Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, ReadLimits.LogLineBytes + 1L));
    }

    /// <summary>
    /// Hands every complete line of <c>buffer[..filled]</c> to <see cref="Line"/>; returns where the unfinished last
    /// line starts. Newlines are found 16 bytes at a time as a bit mask: log lines are short (~40 bytes), and a
    /// search call per line cost more than the search itself.
    /// </summary>
    private int SplitLines(byte[] buffer, int filled, long bufferBase)
    {
        var newline = Vector128.Create((byte)'\n');
        ref var start = ref MemoryMarshal.GetArrayDataReference(buffer);
        var pos = 0;
        var i = 0;
        for (; i + Vector128<byte>.Count <= filled; i += Vector128<byte>.Count)
        {
            var mask = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), newline).ExtractMostSignificantBits();
            while (mask != 0)
            {
                var nl = i + BitOperations.TrailingZeroCount(mask);
                Line(buffer.AsSpan(pos, nl - pos), bufferBase + pos);
                pos = nl + 1;
                mask &= mask - 1;
            }
        }
        for (; i < filled; i++)
        {
            if (buffer[i] != (byte)'\n') continue;
            Line(buffer.AsSpan(pos, i - pos), bufferBase + pos);
            pos = i + 1;
        }
        // The safe offset after the last complete line of the block is the one after every line (only the last
        // assignment survives, and nothing reads it in between).
        if (pos > 0) CommitLineEnd(bufferBase + pos);
        return pos;
    }

    /// <summary>Ends the scan: closes whatever is open and hands over the last run.</summary>
    public void Finish()
    {
        if (_stanza is not null) FinishStanza(-1);
        if (_stats is not null) EndStatistics();
        _runs.Finish(_safeOffset);
    }

    private void Line(ReadOnlySpan<byte> raw, long offset)
    {
        Lines++;
        var line = raw.Length > 0 && raw[^1] == (byte)'\r' ? raw[..^1] : raw;
        ProcessLine(line, offset);
    }

    /// <summary>Sets <see cref="SafeOffset"/> after a complete line ending at <paramref name="lineEnd"/>.</summary>
    private void CommitLineEnd(long lineEnd)
    {
        var open = _stanza is not null ? _stanzaOffset : _stats is not null ? _statsOffset : _inTraceback ? _tracebackOffset : -1;
        _safeOffset = open >= 0 ? Math.Min(open, lineEnd) : lineEnd;
    }

    /// <summary>
    /// Most lines of a big log are read inside a statistics block or a traceback; this handles those two states
    /// in a small method (the full one sets up a large frame per call) and leaves everything else to
    /// <see cref="ProcessAnyLine"/>, which checks the same conditions in the same order.
    /// </summary>
    private void ProcessLine(ReadOnlySpan<byte> line, long offset)
    {
        if (_stanza is null && !_skippingStanza)
        {
            if (_stats is not null)
            {
                if (TakeStatisticsLine(_stats, line)) return;
            }
            // A frame line (or a blank) of a traceback is neither a stanza header nor the exception line.
            else if (_inTraceback && (line.IsEmpty || line[0] == (byte)' ' && line.StartsWith("  "u8))) return;
        }
        ProcessAnyLine(line, offset);
    }

    /// <summary>
    /// A line inside a text statistics block: the closing line ends the block, a statistics line is added.
    /// False for any other line (the block ended without its closing line; the caller goes on with it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TakeStatisticsLine(StatisticsBlockParser stats, ReadOnlySpan<byte> line)
    {
        if (StatisticsBlockParser.IsClosingLine(line))
        {
            stats.Close(line);
            _closedStats = (stats, EndStatistics());
            return true;
        }
        // A wrapper that stamps every line (ts, logger) stamps these too: the stamp is not the line's.
        if (!line.IsEmpty && (line[0] == (byte)'[' || (uint)(line[0] - '0') <= 9)) line = LinePatterns.Normalise(line);
        return stats.TryAddLine(line);
    }

    private void ProcessAnyLine(ReadOnlySpan<byte> line, long offset)
    {
        if (_closedStats is { } closed)
        {
            _closedStats = null;
            if (StatisticsBlockParser.IsClosingLine(line))
            {
                closed.Block.Close(line);
                RunBuilder.StatisticsAmended(closed.Run, closed.Block.Statistics);
                return;
            }
        }
        // 1. Inside a machine-log stanza: collect until the blank line that ends it.
        if (_stanza is not null)
        {
            if (line.IsEmpty)
            {
                FinishStanza(offset);
                return;
            }
            if (!IsStanzaHeader(line, out _))
            {
                if (_stanza.Count < MaxStanzaLines) _stanza.Add(Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxStanzaLineBytes)]));
                return;
            }
            FinishStanza(offset); // cut short by the next stanza (README-LOG: tolerate it)
        }
        if (_skippingStanza)
        {
            if (line.IsEmpty) { _skippingStanza = false; return; }
            if (!IsStanzaHeader(line, out _)) return;
            _skippingStanza = false;
        }

        // 2. Inside a text statistics block.
        var endedEmptyBlock = false;
        if (_stats is not null)
        {
            if (TakeStatisticsLine(_stats, line)) return;
            endedEmptyBlock = _stats.IsEmpty;
            EndStatistics();
        }
        _headingRepeated = endedEmptyBlock;

        // 3. A machine-log stanza starts.
        if (IsStanzaHeader(line, out var interesting))
        {
            EndContext();
            if (interesting && MachineLogReader.IsStanzaStart(Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxStanzaLineBytes)])))
            {
                _stanza = [Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxStanzaLineBytes)])];
                _stanzaOffset = offset;
            }
            else _skippingStanza = true;
            return;
        }

        // 4. A text traceback: frames are indented by two or more blanks; the first other line is the exception.
        if (_inTraceback)
        {
            if (line.StartsWith("  "u8) || line.IsEmpty) return;
            _inTraceback = false;
            var exception = Text(line);
            var failure = KnownFailures.ForException(exception);
            var hit = _runs.Failure(failure, _tracebackOffset, false);
            hit.AddLine(TrimmedText(line));
            return;
        }

        var normal = LinePatterns.Normalise(line);
        string? decoded = null;
        if (!_noPatterns && !normal.IsEmpty)
        {
            decoded = Encoding.UTF8.GetString(normal); // every line: not through the cache of kept lines
            switch (_patterns.Match(decoded))
            {
                case JobPatternVerdict.Ignore:
                    return;
                case JobPatternVerdict.Critical:
                    _runs.Failure(KnownFailures.JobCritical, offset, false).AddLine(decoded);
                    break;
                case JobPatternVerdict.Warning:
                    _runs.Failure(KnownFailures.JobWarning, offset, false).AddLine(decoded);
                    break;
            }
        }

        var cls = LinePatterns.Classify(normal);

        // 5. Continuation lines of a text failure (a backend's output: "Permission denied (publickey).").
        if (_context is not null && cls.Kind is LineKind.Unknown or LineKind.Blank)
        {
            if (cls.Kind == LineKind.Blank)
            {
                if (++_contextBlanks >= 2) EndContext();
                return;
            }
            decoded ??= Text(normal);
            AddContext(decoded, TrimmedText(normal));
            _runs.Unknown(offset);
            _runs.NotAPrompt();
            if (++_contextLines >= ContextLines) EndContext();
            return;
        }
        if (cls.Kind != LineKind.Blank) EndContext();

        _indented = !line.IsEmpty && line[0] is (byte)' ' or (byte)'\t';
        Dispatch(cls, normal, decoded, offset, machine: false, stanzaMessage: null);
    }

    private void Dispatch(LineClass cls, ReadOnlySpan<byte> normal, string? decoded, long offset, bool machine, IReadOnlyList<string>? stanzaMessage)
    {
        switch (cls.Kind)
        {
            case LineKind.Blank:
                return;
            case LineKind.Unknown:
                _runs.Unknown(offset);
                _runs.NotAPrompt();
                return;
            case LineKind.Noise:
                _runs.Noise(offset);
                return;
            case LineKind.Phase:
                _runs.Phase(cls.Phase, offset, cls.Action, machine);
                _runs.NotAPrompt();
                return;
            case LineKind.StatisticsHeading:
                if (machine)
                {
                    var heading = stanzaMessage![0];
                    var stats = new StatisticsBlockParser(Encoding.UTF8.GetBytes(heading), heading.Length > 0 && heading[0] is ' ' or '\t');
                    var ended = false;
                    foreach (var m in stanzaMessage.Skip(1))
                    {
                        if (stats.Closed) stats.After(m);
                        else if (ended) continue;
                        else if (StatisticsBlockParser.IsClosingLine(m)) stats.Close(m);
                        else if (!stats.TryAddLine(m)) ended = true;
                    }
                    _runs.Statistics(stats.Statistics, offset, true);
                }
                else
                {
                    _stats = new StatisticsBlockParser(normal, _indented);
                    if (_headingRepeated) _stats.MarkDamaged("heading repeated", normal);
                    _statsOffset = offset;
                }
                return;
            case LineKind.VerifyComplete:
            {
                decoded ??= Text(normal);
                _runs.Verify(VerifyDifferences(decoded), decoded, offset, machine);
                return;
            }
            case LineKind.PassphrasePrompt:
                _runs.Line(LineKind.PassphrasePrompt, offset, null, machine);
                if (!machine && normal.IndexOf(Traceback) >= 0) StartTraceback(offset);
                return;
            case LineKind.TracebackStart:
                if (!machine) StartTraceback(offset);
                _runs.Line(LineKind.Known, offset, null, machine);
                return;
            case LineKind.Failure:
            {
                decoded ??= Text(normal);
                var failure = KnownFailures.Refine(cls.Failure!, decoded);
                var hit = _runs.Failure(failure, offset, machine, cls.Phase);
                hit.AddLine(decoded);
                if (!machine)
                {
                    _context = hit;
                    _contextLines = 0;
                    _contextBlanks = 0;
                }
                return;
            }
            default:
                _runs.Line(cls.Kind, offset, cls.Action, machine);
                return;
        }
    }

    private void StartTraceback(long offset)
    {
        _inTraceback = true;
        _tracebackOffset = offset;
    }

    private void AddContext(string line, string trimmed)
    {
        var hit = _context!;
        hit.AddLine(trimmed);
        var refined = KnownFailures.Refine(hit.Failure, line);
        if (refined != hit.Failure)
        {
            hit.Failure = refined;
            _runs.Refined(hit);
        }
    }

    private void EndContext() => _context = null;

    private LogRun EndStatistics()
    {
        var stats = _stats!;
        _stats = null;
        return _runs.Statistics(stats.Statistics, _statsOffset, false);
    }

    private void FinishStanza(long offset)
    {
        var lines = _stanza!;
        _stanza = null;
        var text = string.Join('\n', lines) + "\n\n";
        var stanza = MachineLogReader.Read(new StringReader(text)).FirstOrDefault();
        if (stanza is null) return;
        var message = stanza.MessageText;
        var first = stanza.Message.Count > 0 ? stanza.Message[0] : "";

        if (!_patterns.IsEmpty)
        {
            var ignored = false;
            foreach (var m in stanza.Message)
            {
                switch (_patterns.Match(m))
                {
                    case JobPatternVerdict.Ignore: ignored = true; break;
                    case JobPatternVerdict.Critical: _runs.Failure(KnownFailures.JobCritical, _stanzaOffset, true).AddLine(m); break;
                    case JobPatternVerdict.Warning: _runs.Failure(KnownFailures.JobWarning, _stanzaOffset, true).AddLine(m); break;
                }
                if (ignored) break;
            }
            if (ignored) return;
        }

        var normal = LinePatterns.Normalise(Encoding.UTF8.GetBytes(first));
        var cls = LinePatterns.Classify(normal);
        if (stanza.Level == "INFO")
        {
            if (stanza.Code == 3) _runs.Line(LineKind.Maintenance, _stanzaOffset, "collection-status", machine: true);
            else if (stanza.Code == 2 && first.StartsWith("Processed volume", StringComparison.Ordinal)) _runs.Line(LineKind.Known, _stanzaOffset, "backup", machine: true);
            return;
        }
        if (cls.Kind == LineKind.Noise)
        {
            _runs.Noise(_stanzaOffset);
            return;
        }
        if (stanza.Level is "ERROR" or "CRITICAL" or "WARNING")
        {
            var failure = KnownFailures.ForStanza(stanza.Level, stanza.Code, stanza.Extra, message);
            if (failure is not null)
            {
                failure = KnownFailures.Refine(failure, message);
                var hit = _runs.Failure(failure, _stanzaOffset, true, failure == KnownFailures.LockHeld ? 2 : 0);
                var keyword = $"{stanza.Level} {stanza.Code}{(stanza.Extra.Length > 0 ? " " + stanza.Extra : "")}";
                var shown = stanza.Message.Where(m => m.Trim().Length > 0).Take(FailureHit.MaxLines).ToList();
                hit.AddLine(shown.Count > 0 ? $"{keyword}: {shown[0].Trim()}" : keyword);
                foreach (var m in shown.Skip(1)) hit.AddLine(m.Trim());
                return;
            }
        }
        // NOTICE stanzas, and warnings without a failure code ("Attempt of put Nr. 1 failed", "No extraneous
        // files found"), carry the same texts as the console: classify them the same way.
        if (cls.Kind == LineKind.Failure) cls = new LineClass(LineKind.Known);
        if (cls.Kind == LineKind.Unknown && stanza.Message.Any(m => m.Contains("Restart is impossible", StringComparison.Ordinal)))
            cls = new LineClass(LineKind.RestartImpossible, Action: "backup");
        if (cls.Kind is LineKind.Unknown or LineKind.Blank) cls = new LineClass(LineKind.Known);
        Dispatch(cls, normal, first, _stanzaOffset, machine: true, stanza.Message);
    }

    /// <summary>
    /// A cheap test for a machine-log keyword line (<c>LEVEL CODE[ EXTRA]</c>) before the exact regular expression
    /// of <see cref="MachineLogReader"/> is asked: level word, a blank, a digit. INFO/DEBUG/Level N stanzas are
    /// of no interest here (progress, per-file lines).
    /// </summary>
    private static bool IsStanzaHeader(ReadOnlySpan<byte> line, out bool interesting)
    {
        interesting = false;
        if (line.Length < 6) return false;
        int word;
        switch (line[0])
        {
            case (byte)'E' when line.StartsWith("ERROR "u8): word = 6; interesting = true; break;
            case (byte)'W' when line.StartsWith("WARNING "u8): word = 8; interesting = true; break;
            case (byte)'N' when line.StartsWith("NOTICE "u8): word = 7; interesting = true; break;
            case (byte)'C' when line.StartsWith("CRITICAL "u8): word = 9; interesting = true; break;
            // INFO 3 is the collection-status block: the end of a collection-status run.
            // INFO 2 is a backup's progress ("Processed volume 1"): a -v8 backup also prints a collection-status block.
            case (byte)'I' when line.StartsWith("INFO "u8):
                word = 5;
                interesting = (line.StartsWith("INFO 3"u8) || line.StartsWith("INFO 2"u8)) && (line.Length == 6 || line[6] == (byte)' ');
                break;
            case (byte)'D' when line.StartsWith("DEBUG "u8): word = 6; break;
            case (byte)'L' when line.StartsWith("Level "u8):
                word = 6;
                while (word < line.Length && line[word] is >= (byte)'0' and <= (byte)'9') word++;
                if (word >= line.Length || line[word] != (byte)' ') return false;
                word++;
                break;
            default: return false;
        }
        if (word >= line.Length || line[word] is < (byte)'0' or > (byte)'9') return false;
        var end = word;
        while (end < line.Length && line[end] is >= (byte)'0' and <= (byte)'9') end++;
        if (end < line.Length && line[end] != (byte)' ') return false;
        return true;
    }

    private static long VerifyDifferences(string line)
    {
        // "Verify complete: 49 files compared, 5 differences found."
        var comma = line.IndexOf(", ", StringComparison.Ordinal);
        if (comma < 0) return 0;
        var rest = line.AsSpan(comma + 2);
        var space = rest.IndexOf(' ');
        return space > 0 && long.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    private string Text(ReadOnlySpan<byte> bytes) => _texts.Text(bytes);

    private string TrimmedText(ReadOnlySpan<byte> bytes) => _texts.TrimmedText(bytes);
}
