using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// Streams a log (cron output, a wrapper's log, merged stdout and stderr, or duplicity's machine log, detected per
/// run) and finds its runs, failures and statistics (acquisition). Built for big logs: it reads large blocks,
/// splits lines on bytes with a vectorised search, classifies a line by its first bytes
/// (<see cref="LinePatterns"/>), and turns into a string only the lines it keeps. A line inside something open goes
/// to its handler (a machine-log stanza, a statistics block, a traceback, the context lines of a failure); any
/// other line is classified and dispatched to the runs. Memory stays flat: finished runs go to the sink. Lines are
/// kept as written; the evaluation masks secrets in every line it shows (masking costs regular expressions, so it
/// is paid only for what is shown).
/// </summary>
public sealed class LogScanner
{
    private static readonly byte[] Traceback = "Traceback ("u8.ToArray();

    private readonly JobPatterns _patterns;
    private readonly bool _noPatterns;
    private readonly RunBuilder _runs;
    private readonly LineTextCache _texts = new();
    private readonly int _bufferSize;

    private readonly MachineStanzaHandler _stanzas;
    private readonly StatisticsBlockHandler _statistics;
    private readonly TracebackHandler _traceback;
    private readonly FailureContext _context;

    // The line being dispatched ended a block that held nothing after its heading: a heading here is a repeated one
    // (a new run's block follows a whole block, never a bare heading).
    private bool _headingRepeated;

    // The line being dispatched started with a blank (Normalise drops them; a statistics heading must not have any).
    private bool _indented;

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
        _stanzas = new MachineStanzaHandler(_runs, _patterns);
        _statistics = new StatisticsBlockHandler(_runs);
        _traceback = new TracebackHandler(_runs, _texts);
        _context = new FailureContext(_runs, _texts);
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
        if (_stanzas.IsCollecting) FinishStanza();
        if (_statistics.IsOpen) _statistics.EndUnclosed();
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
        var open = _stanzas.IsCollecting ? _stanzas.Offset : _statistics.IsOpen ? _statistics.Offset : _traceback.IsOpen ? _traceback.Offset : -1;
        _safeOffset = open >= 0 ? Math.Min(open, lineEnd) : lineEnd;
    }

    /// <summary>
    /// Most lines of a big log are read inside a statistics block or a traceback; this handles those two states
    /// in a small method (the full one sets up a large frame per call) and leaves everything else to
    /// <see cref="ProcessAnyLine"/>, which checks the same conditions in the same order.
    /// </summary>
    private void ProcessLine(ReadOnlySpan<byte> line, long offset)
    {
        if (!_stanzas.IsOpen)
        {
            if (_statistics.IsOpen)
            {
                if (_statistics.Take(line)) return;
            }
            else if (_traceback.IsOpen && TracebackHandler.IsFrame(line)) return;
        }
        ProcessAnyLine(line, offset);
    }

    private void ProcessAnyLine(ReadOnlySpan<byte> line, long offset)
    {
        if (_statistics.TakeRepeatedClosingLine(line)) return;

        // 1. Inside a machine-log stanza: collect until the blank line that ends it.
        if (_stanzas.IsOpen)
        {
            var taken = _stanzas.Take(line);
            if (taken != MachineStanzaHandler.Taken.Line) FinishStanza();
            if (taken != MachineStanzaHandler.Taken.NextHeader) return;
        }

        // 2. Inside a text statistics block.
        var endedEmptyBlock = false;
        if (_statistics.IsOpen)
        {
            if (_statistics.Take(line)) return;
            endedEmptyBlock = _statistics.EndUnclosed();
        }
        _headingRepeated = endedEmptyBlock;

        // 3. A machine-log stanza starts.
        if (MachineStanzaHandler.IsHeader(line, out var interesting))
        {
            _context.End();
            _stanzas.Start(line, interesting, offset);
            return;
        }

        // 4. A text traceback: the first line that is not a frame is the exception.
        if (_traceback.IsOpen)
        {
            if (!TracebackHandler.IsFrame(line)) _traceback.End(line);
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

        // 5. Continuation lines of a text failure.
        if (_context.IsOpen && cls.Kind is LineKind.Unknown or LineKind.Blank)
        {
            _context.Take(cls.Kind, normal, decoded, offset);
            return;
        }
        if (cls.Kind != LineKind.Blank) _context.End();

        _indented = !line.IsEmpty && line[0] is (byte)' ' or (byte)'\t';
        Dispatch(cls, normal, decoded, offset, machine: false, stanzaMessage: null);
    }

    private void FinishStanza()
    {
        if (_stanzas.Finish() is { } s) Dispatch(s.Class, [], s.First, s.Offset, machine: true, s.Message);
    }

    /// <summary>
    /// A classified line to the runs. <paramref name="decoded"/> is the line's text when already decoded (always
    /// for a stanza's first message line, whose <paramref name="normal"/> bytes are then not needed).
    /// </summary>
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
                if (machine) _statistics.ReadStanza(stanzaMessage!, offset);
                else _statistics.Start(normal, _indented, _headingRepeated, offset);
                return;
            case LineKind.VerifyComplete:
            {
                decoded ??= _texts.Text(normal);
                _runs.Verify(VerifyDifferences(decoded), decoded, offset, machine);
                return;
            }
            case LineKind.PassphrasePrompt:
                _runs.Line(LineKind.PassphrasePrompt, offset, null, machine);
                if (!machine && normal.IndexOf(Traceback) >= 0) _traceback.Start(offset);
                return;
            case LineKind.TracebackStart:
                if (!machine) _traceback.Start(offset);
                _runs.Line(LineKind.Known, offset, null, machine);
                return;
            case LineKind.Failure:
            {
                decoded ??= _texts.Text(normal);
                var failure = KnownFailures.Refine(cls.Failure!, decoded);
                var hit = _runs.Failure(failure, offset, machine, cls.Phase);
                hit.AddLine(decoded);
                if (!machine) _context.Open(hit);
                return;
            }
            default:
                _runs.Line(cls.Kind, offset, cls.Action, machine);
                return;
        }
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
}
