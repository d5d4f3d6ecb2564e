using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
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
        var length = line.Length;
        while (length > 0 && line[length - 1] == (byte)'\r') length--;
        line = line[..length];
        // The key is letters up to the first blank: find the blank, then name the key (a known key is letters;
        // only an unknown one needs the letters checked), then read the value up to the next blank or the end.
        var space = line.IndexOf((byte)' ');
        if (space <= 0) return false;
        var key = line[..space];
        var field = FieldOf(key);
        if (field == Field.Other && !IsLetters(key)) return false;
        if (!TryReadPlainValue(line, space + 1, out var value))
        {
            var rest = line[(space + 1)..];
            var end = rest.IndexOf((byte)' ');
            if (!TryParseValue(end < 0 ? rest : rest[..end], out var parsed)) return false;
            value = new Value(parsed);
        }
        Set(field, value);
        return true;
    }

    private static bool IsLetters(ReadOnlySpan<byte> key)
    {
        foreach (var b in key)
            if ((uint)((b | 0x20) - 'a') > 'z' - 'a') return false;
        return true;
    }

    /// <summary>
    /// The value as the fast path of <see cref="TryParseValue(ReadOnlySpan{byte}, out double)"/> takes it ([sign], 1-15
    /// digits, at most one point), read in place up to the next blank or the end of the line: a big log holds a
    /// statistics block per run, so this skips the search for the blank, the second pass and, for the whole
    /// numbers that most keys hold, the division and the rounding. False for anything else (the general reading
    /// decides).
    /// </summary>
    private static bool TryReadPlainValue(ReadOnlySpan<byte> line, int i, out Value value)
    {
        value = default;
        var negative = false;
        if (i < line.Length && line[i] is (byte)'-' or (byte)'+')
        {
            negative = line[i] == (byte)'-';
            i++;
        }
        long mantissa = 0;
        var digits = 0;
        var decimals = -1;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            if ((uint)(c - '0') <= 9)
            {
                if (++digits > 15) return false;
                mantissa = mantissa * 10 + (c - '0');
                if (decimals >= 0) decimals++;
            }
            else if (c == (byte)'.' && decimals < 0) decimals = 0;
            else if (c == (byte)' ') break;
            else return false;
        }
        if (digits == 0) return false;
        value = new Value(mantissa, Math.Max(decimals, 0), negative);
        return true;
    }

    /// <summary>A parsed value: either digits with a scale (exact) or a double from the general parser.</summary>
    private readonly struct Value
    {
        private readonly double _parsed;
        private readonly long _mantissa;
        private readonly int _decimals;
        private readonly bool _negative;
        private readonly bool _exact;

        public Value(double parsed) => _parsed = parsed;

        public Value(long mantissa, int decimals, bool negative)
        {
            _mantissa = mantissa;
            _decimals = decimals;
            _negative = negative;
            _exact = true;
        }

        /// <summary>The same double as <see cref="TryParseValue(ReadOnlySpan{byte}, out double)"/> (its fast path, step by step).</summary>
        public double Real
        {
            get
            {
                if (!_exact) return _parsed;
                var v = _mantissa / PowersOfTen[_decimals];
                return _negative ? -v : v;
            }
        }

        /// <summary>
        /// <see cref="Whole(double)"/> of <see cref="Real"/>: without decimals the value is the mantissa itself (at most
        /// 15 digits, exact in a double, so rounding it changes nothing).
        /// </summary>
        public long Whole => _exact && _decimals == 0 ? (_negative ? -_mantissa : _mantissa) : BackupStatistics.Whole(Real);
    }

    private enum Field
    {
        Other, StartTime, EndTime, ElapsedTime, SourceFiles, SourceFileSize, NewFiles, NewFileSize, DeletedFiles, ChangedFiles,
        ChangedFileSize, ChangedDeltaSize, DeltaEntries, RawDeltaSize, TotalDestinationSizeChange, Errors,
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Field FieldOf(ReadOnlySpan<byte> key)
    {
        // Dispatch on the length and a letter, then one comparison of the bytes.
        return key.Length switch
        {
            6 when Same(key, "Errors"u8) => Field.Errors,
            7 when Same(key, "EndTime"u8) => Field.EndTime,
            8 when Same(key, "NewFiles"u8) => Field.NewFiles,
            9 when Same(key, "StartTime"u8) => Field.StartTime,
            11 when key[0] == (byte)'E' && Same(key, "ElapsedTime"u8) => Field.ElapsedTime,
            11 when key[0] == (byte)'S' && Same(key, "SourceFiles"u8) => Field.SourceFiles,
            11 when key[0] == (byte)'N' && Same(key, "NewFileSize"u8) => Field.NewFileSize,
            12 when key[3] == (byte)'e' && Same(key, "DeletedFiles"u8) => Field.DeletedFiles,
            12 when key[0] == (byte)'C' && Same(key, "ChangedFiles"u8) => Field.ChangedFiles,
            12 when key[3] == (byte)'t' && Same(key, "DeltaEntries"u8) => Field.DeltaEntries,
            12 when key[0] == (byte)'R' && Same(key, "RawDeltaSize"u8) => Field.RawDeltaSize,
            14 when Same(key, "SourceFileSize"u8) => Field.SourceFileSize,
            15 when Same(key, "ChangedFileSize"u8) => Field.ChangedFileSize,
            16 when Same(key, "ChangedDeltaSize"u8) => Field.ChangedDeltaSize,
            26 when key.SequenceEqual("TotalDestinationSizeChange"u8) => Field.TotalDestinationSizeChange,
            _ => Field.Other,
        };
    }

    /// <summary>
    /// Equal bytes, for two spans of the same length from 4 to 16: two overlapping loads per side (the first and
    /// the last 4 or 8 bytes) instead of a call per key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Same(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length >= 8)
            return BinaryPrimitives.ReadUInt64LittleEndian(a) == BinaryPrimitives.ReadUInt64LittleEndian(b)
                && BinaryPrimitives.ReadUInt64LittleEndian(a[^8..]) == BinaryPrimitives.ReadUInt64LittleEndian(b[^8..]);
        return BinaryPrimitives.ReadUInt32LittleEndian(a) == BinaryPrimitives.ReadUInt32LittleEndian(b)
            && BinaryPrimitives.ReadUInt32LittleEndian(a[^4..]) == BinaryPrimitives.ReadUInt32LittleEndian(b[^4..]);
    }

    private void Set(Field field, in Value value)
    {
        switch (field)
        {
            case Field.Errors: Errors = value.Whole; break;
            case Field.EndTime: EndTime = value.Real; break;
            case Field.NewFiles: NewFiles = value.Whole; break;
            case Field.StartTime: StartTime = value.Real; break;
            case Field.ElapsedTime: ElapsedTime = value.Real; break;
            case Field.SourceFiles: SourceFiles = value.Whole; break;
            case Field.NewFileSize: NewFileSize = value.Whole; break;
            case Field.DeletedFiles: DeletedFiles = value.Whole; break;
            case Field.ChangedFiles: ChangedFiles = value.Whole; break;
            case Field.DeltaEntries: DeltaEntries = value.Whole; break;
            case Field.RawDeltaSize: RawDeltaSize = value.Whole; break;
            case Field.SourceFileSize: SourceFileSize = value.Whole; break;
            case Field.ChangedFileSize: ChangedFileSize = value.Whole; break;
            case Field.ChangedDeltaSize: ChangedDeltaSize = value.Whole; break;
            case Field.TotalDestinationSizeChange: TotalDestinationSizeChange = value.Whole; break;
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
        // Every line of a statistics block is asked: most start with a letter.
        if (line.IsEmpty || line[0] != (byte)'-') return false;
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
