using System.Buffers;
using System.Globalization;
using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// The <c>--------------[ Backup Statistics ]--------------</c> block a successful backup prints (force-printed at
/// every verbosity, the same keys in 0.8.22 to 3.1.0; the labels stay English when the rest is German):
/// <code>
/// StartTime 1795688184.00 (Thu Nov 26 10:16:24 2026)     epoch, then local time in parentheses
/// EndTime ... / ElapsedTime 0.01 (0.01 seconds)
/// SourceFiles 3 / SourceFileSize 12021390 (11.5 MB) / NewFiles / NewFileSize / DeletedFiles / ChangedFiles /
/// ChangedFileSize / ChangedDeltaSize / DeltaEntries / RawDeltaSize / TotalDestinationSizeChange 299 (299 bytes)
/// Errors 0
/// -------------------------------------------------
/// </code>
/// </summary>
public sealed class BackupStatistics
{
    public double? StartTime { get; private set; }
    public double? EndTime { get; private set; }
    public double? ElapsedTime { get; private set; }
    public long? SourceFiles { get; private set; }
    public long? SourceFileSize { get; private set; }
    public long? NewFiles { get; private set; }
    public long? NewFileSize { get; private set; }
    public long? DeletedFiles { get; private set; }
    public long? ChangedFiles { get; private set; }
    public long? ChangedFileSize { get; private set; }
    public long? ChangedDeltaSize { get; private set; }
    public long? DeltaEntries { get; private set; }
    public long? RawDeltaSize { get; private set; }
    public long? TotalDestinationSizeChange { get; private set; }
    public long? Errors { get; private set; }

    /// <summary>The block ended with its closing dashes (not cut off by the end of the file).</summary>
    public bool Closed { get; internal set; }

    /// <summary>A block is usable when it says how many errors there were.</summary>
    public bool IsComplete => Errors is not null;

    /// <summary>
    /// Reads one <c>Key value [(pretty)]</c> line. Returns false for a line that is not a statistics line (the
    /// block ends there). Unknown keys of the right shape are accepted and ignored (newer versions may add some).
    /// </summary>
    public bool TryAddLine(ReadOnlySpan<char> line)
    {
        // Stanza messages of the machine log arrive as strings; the keys and values are ASCII.
        var max = Encoding.UTF8.GetMaxByteCount(line.Length);
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : new byte[max];
        return TryAddLine(bytes[..Encoding.UTF8.GetBytes(line, bytes)]);
    }

    /// <summary>
    /// <see cref="TryAddLine(ReadOnlySpan{char})"/> on the UTF-8 bytes of the line, as the log scanner reads them: a big
    /// log holds a statistics block per run, so this path decodes nothing and allocates nothing.
    /// </summary>
    public bool TryAddLine(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        // One pass: the key's letters up to the blank, then the value up to the next blank or the end.
        var space = 0;
        while (space < line.Length && char.IsAsciiLetter((char)line[space])) space++;
        if (space == 0 || space == line.Length || line[space] != (byte)' ') return false;
        var rest = line[(space + 1)..];
        var end = rest.IndexOf((byte)' ');
        if (!TryParseValue(end < 0 ? rest : rest[..end], out var value)) return false;
        Set(line[..space], value);
        return true;
    }

    private void Set(ReadOnlySpan<byte> key, double value)
    {
        // Dispatch on the length first: one comparison of bytes per line instead of a chain of them.
        switch (key.Length)
        {
            case 6 when key.SequenceEqual("Errors"u8): Errors = Whole(value); break;
            case 7 when key.SequenceEqual("EndTime"u8): EndTime = value; break;
            case 8 when key.SequenceEqual("NewFiles"u8): NewFiles = Whole(value); break;
            case 9 when key.SequenceEqual("StartTime"u8): StartTime = value; break;
            case 11 when key.SequenceEqual("ElapsedTime"u8): ElapsedTime = value; break;
            case 11 when key.SequenceEqual("SourceFiles"u8): SourceFiles = Whole(value); break;
            case 11 when key.SequenceEqual("NewFileSize"u8): NewFileSize = Whole(value); break;
            case 12 when key.SequenceEqual("DeletedFiles"u8): DeletedFiles = Whole(value); break;
            case 12 when key.SequenceEqual("ChangedFiles"u8): ChangedFiles = Whole(value); break;
            case 12 when key.SequenceEqual("DeltaEntries"u8): DeltaEntries = Whole(value); break;
            case 12 when key.SequenceEqual("RawDeltaSize"u8): RawDeltaSize = Whole(value); break;
            case 14 when key.SequenceEqual("SourceFileSize"u8): SourceFileSize = Whole(value); break;
            case 15 when key.SequenceEqual("ChangedFileSize"u8): ChangedFileSize = Whole(value); break;
            case 16 when key.SequenceEqual("ChangedDeltaSize"u8): ChangedDeltaSize = Whole(value); break;
            case 26 when key.SequenceEqual("TotalDestinationSizeChange"u8): TotalDestinationSizeChange = Whole(value); break;
        }
    }

    private static long Whole(double value) => (long)Math.Round(value);

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// <c>double.TryParse</c> with <c>AllowDecimalPoint | AllowLeadingSign</c>, invariant, with a fast path: a big
    /// log holds a statistics block per run, and the general parser was a quarter of a first scan. Up to 15
    /// digits are exact in a long and 10^k (k &lt;= 15) is exact in a double, so one division is the correctly
    /// rounded value, the same double the general parser returns (Clinger's fast path). Anything else goes to it.
    /// </summary>
    internal static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        Span<byte> bytes = stackalloc byte[64];
        if (text.Length <= 64 && Ascii.FromUtf16(text, bytes, out var written) == OperationStatus.Done)
            return TryParseValue(bytes[..written], out value);
        return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <inheritdoc cref="TryParseValue(ReadOnlySpan{char}, out double)"/>
    internal static bool TryParseValue(ReadOnlySpan<byte> text, out double value)
    {
        var i = 0;
        var negative = false;
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+')
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }
        long mantissa = 0;
        var digits = 0;
        var decimals = -1;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                mantissa = mantissa * 10 + (c - '0');
                if (++digits > 15) break;
                if (decimals >= 0) decimals++;
            }
            else if (c == (byte)'.' && decimals < 0) decimals = 0;
            else break;
        }
        if (i == text.Length && digits is > 0 and <= 15)
        {
            value = mantissa / PowersOfTen[Math.Max(decimals, 0)];
            if (negative) value = -value;
            return true;
        }
        return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True for the closing <c>-----...</c> line.</summary>
    public static bool IsClosingLine(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd('\r');
        return line.Length >= 10 && !line.ContainsAnyExcept('-');
    }

    /// <inheritdoc cref="IsClosingLine(ReadOnlySpan{char})"/>
    public static bool IsClosingLine(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        return line.Length >= 10 && !line.ContainsAnyExcept((byte)'-');
    }

    /// <summary>The perfdata of the issue, labels exactly: elapsed_time (s), sizes (B), counts.</summary>
    public IEnumerable<PerfDatum> PerfData()
    {
        yield return new PerfDatum("elapsed_time", ElapsedTime, "s", Min: 0);
        yield return new PerfDatum("source_files", SourceFiles, Min: 0);
        yield return new PerfDatum("source_file_size", SourceFileSize, "B", Min: 0);
        yield return new PerfDatum("new_files", NewFiles, Min: 0);
        yield return new PerfDatum("deleted_files", DeletedFiles, Min: 0);
        yield return new PerfDatum("changed_files", ChangedFiles, Min: 0);
        yield return new PerfDatum("changed_file_size", ChangedFileSize, "B", Min: 0);
        yield return new PerfDatum("raw_delta_size", RawDeltaSize, "B", Min: 0);
        yield return new PerfDatum("destination_size_change", TotalDestinationSizeChange, "B");
        yield return new PerfDatum("errors", Errors, Min: 0);
    }
}
