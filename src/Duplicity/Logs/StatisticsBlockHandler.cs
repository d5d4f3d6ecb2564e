using System.Runtime.CompilerServices;
using System.Text;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// The Backup Statistics block of a run: in text form read line by line from its heading to its closing dashes
/// (most lines of a big log are read here, so <see cref="Take"/> is small); in the machine log the message of one
/// NOTICE stanza. A closing line right after the one that closed the block damages it.
/// </summary>
internal sealed class StatisticsBlockHandler(RunBuilder runs)
{
    // One parser for every text block of the log, so that a block allocates only its statistics.
    private readonly StatisticsBlockParser _parser = new();
    private bool _open;
    private long _offset;

    // The run of the block that the previous line closed (the parser still holds that block).
    private LogRun? _closed;

    /// <summary>A text block is being read.</summary>
    public bool IsOpen => _open;

    /// <summary>Where the open block started (read again whole by the next check when cut off at the end).</summary>
    public long Offset => _offset;

    /// <summary>A text block starts at its heading (a repeated heading, or one with blanks before it, damages it).</summary>
    public void Start(ReadOnlySpan<byte> heading, bool indented, bool repeated, long offset)
    {
        _parser.Reset(heading, indented);
        if (repeated) _parser.MarkDamaged("heading repeated", heading);
        _open = true;
        _offset = offset;
    }

    /// <summary>
    /// A line inside the open block: the closing line ends the block, a statistics line is added. False for any
    /// other line (the block ended without its closing line; the caller goes on with it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Take(ReadOnlySpan<byte> line)
    {
        var block = _parser;
        if (StatisticsBlockParser.IsClosingLine(line))
        {
            block.Close(line);
            _closed = End();
            return true;
        }
        // A wrapper that stamps every line (ts, logger) stamps these too: the stamp is not the line's.
        if (!line.IsEmpty && (line[0] == (byte)'[' || (uint)(line[0] - '0') <= 9)) line = LinePatterns.Normalise(line);
        return block.TryAddLine(line);
    }

    /// <summary>The line after a closed block: true when it repeats the closing line (which damages the block).</summary>
    public bool TakeRepeatedClosingLine(ReadOnlySpan<byte> line)
    {
        if (_closed is not { } run) return false;
        _closed = null;
        if (!StatisticsBlockParser.IsClosingLine(line)) return false;
        _parser.Close(line);
        RunBuilder.StatisticsAmended(run, _parser.Statistics);
        return true;
    }

    /// <summary>Ends the open block where it stands; true when nothing was read after its heading.</summary>
    public bool EndUnclosed()
    {
        var empty = _parser.IsEmpty;
        End();
        return empty;
    }

    private LogRun End()
    {
        _open = false;
        return runs.Statistics(_parser.Statistics, _offset, false);
    }

    /// <summary>A machine-log block: the message of the stanza whose first line is the heading.</summary>
    public void ReadStanza(IReadOnlyList<string> message, long offset)
    {
        var heading = message[0];
        var block = new StatisticsBlockParser(Encoding.UTF8.GetBytes(heading), heading.Length > 0 && heading[0] is ' ' or '\t');
        var ended = false;
        foreach (var m in message.Skip(1))
        {
            if (block.Closed) block.After(m);
            else if (ended) continue;
            else if (StatisticsBlockParser.IsClosingLine(m)) block.Close(m);
            else if (!block.TryAddLine(m)) ended = true;
        }
        runs.Statistics(block.Statistics, offset, true);
    }
}
