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

    // Length of the heading, which the closing line repeats in dashes (statistics.py: footer = "-" * len(header));
    // 0 when the block was made without its heading (tests of single lines).
    private readonly int _headingLength;

    // The first damage seen while reading, and the known keys read so far (in print order, each once).
    private string? _damage;
    private string? _damagedLine;
    private Field _lastField;
    private int _fieldsSeen;

    public BackupStatistics()
    {
    }

    /// <summary>A block that starts with <paramref name="heading"/> (the line as duplicity wrote it, after any time stamp).</summary>
    public BackupStatistics(ReadOnlySpan<byte> heading, bool indented = false)
    {
        _headingLength = heading.Length;
        if (indented) Damage("heading indented", heading);
        else if (!StatisticsGrammar.IsHeading(heading)) Damage("heading damaged", heading);
    }

    /// <inheritdoc cref="BackupStatistics(ReadOnlySpan{byte}, bool)"/>
    public BackupStatistics(string heading) : this(Encoding.UTF8.GetBytes(heading))
    {
    }

    /// <summary>The block ended with its closing dashes (not cut off by the end of the file).</summary>
    public bool Closed { get; private set; }

    /// <summary>
    /// What is wrong with the block, or null when it is exactly what duplicity prints: the heading, every key of
    /// 0.8.22 to 3.1.0 once and in order, each value and its part in parentheses as statistics.py writes them,
    /// the closing dashes. A block that does not read completely proves nothing (a cut or garbled <c>Errors</c>
    /// line can hide errors), so only an intact block is a success.
    /// </summary>
    public string? DamageReason => _damage ?? MissingReason();

    /// <summary>The line that showed the damage, as written (null when the damage is a missing line).</summary>
    public string? DamagedLine => _damage is null ? null : _damagedLine;

    /// <summary>A block is usable when it is intact (which includes its <c>Errors</c> line).</summary>
    public bool IsComplete => DamageReason is null && Errors is not null;

    private string? MissingReason()
    {
        if (_fieldsSeen == 0) return "nothing after its heading";
        if (Errors is null) return "Errors line missing";
        for (var f = Field.StartTime; f <= Field.Errors; f++)
            if ((_fieldsSeen & (1 << (int)f)) == 0) return $"{f} line missing";
        return Closed ? null : "no closing line (cut off, or still being written)";
    }

    /// <summary>Nothing was read after the heading.</summary>
    public bool IsEmpty => _fieldsSeen == 0 && !Closed;

    /// <summary>Damage the reader of the block sees around it (a repeated heading).</summary>
    internal void MarkDamaged(string reason, ReadOnlySpan<byte> line) => Damage(reason, line);

    private void Damage(string reason, ReadOnlySpan<byte> line)
    {
        if (_damage is not null) return;
        _damage = reason;
        _damagedLine = Encoding.UTF8.GetString(line.Length > 200 ? line[..200] : line);
    }

    /// <summary>The closing dashes (see <see cref="IsClosingLine(ReadOnlySpan{byte})"/>) end the block.</summary>
    public void Close(ReadOnlySpan<byte> line)
    {
        if (Closed)
        {
            Damage("closing line repeated", line);
            return;
        }
        Closed = true;
        line = line.TrimEnd((byte)'\r');
        if (_headingLength > 0 && line.Length != _headingLength) Damage("closing line damaged", line);
    }

    /// <inheritdoc cref="Close(ReadOnlySpan{byte})"/>
    public void Close(string line) => Close(Encoding.UTF8.GetBytes(line));

    /// <summary>A line after the closing dashes that is part of the same message (a machine-log stanza).</summary>
    public void After(string line)
    {
        if (line.Trim().Length > 0) Damage("lines after its closing line", Encoding.UTF8.GetBytes(line));
    }

    /// <summary>
    /// Reads one line of the block. Returns false for a line that is not a statistics line (the block ends there,
    /// the caller goes on with it); a line that names a known key but is not as duplicity writes it (a leading
    /// blank, a garbled number, a repeated key) belongs to the block and damages it. Unknown keys of the right
    /// shape (<c>Key number [(text)]</c>) are accepted and ignored: a newer duplicity may add some.
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
    /// log holds a statistics block per run, so this path decodes nothing and allocates nothing for an intact line.
    /// </summary>
    public bool TryAddLine(ReadOnlySpan<byte> line)
    {
        var raw = line;
        line = line.TrimEnd((byte)'\r');
        var indented = !line.IsEmpty && line[0] is (byte)' ' or (byte)'\t';
        var text = indented ? line.TrimStart(" \t"u8) : line;
        var blank = text.IndexOfAny((byte)' ', (byte)'\t');
        var key = blank < 0 ? text : text[..blank];
        var field = key.Length > 0 ? FieldOf(key) : Field.Other;
        if (field == Field.Other)
            return !indented && StatisticsGrammar.IsFutureLine(text);
        if (indented)
        {
            Damage($"{field} line indented", raw);
            return true;
        }
        if ((_fieldsSeen & (1 << (int)field)) != 0)
        {
            Damage($"{field} line repeated", raw);
            return true;
        }
        _fieldsSeen |= 1 << (int)field;
        if (field < _lastField) Damage($"{field} line out of order", raw);
        else _lastField = field;
        if (blank < 0 || !StatisticsGrammar.TryRead(KindOf(field), text[(blank + 1)..], out var value))
        {
            Damage($"{field} line unreadable", raw);
            return true;
        }
        Set(field, value);
        return true;
    }

    private enum Field
    {
        Other, StartTime, EndTime, ElapsedTime, SourceFiles, SourceFileSize, NewFiles, NewFileSize, DeletedFiles, ChangedFiles,
        ChangedFileSize, ChangedDeltaSize, DeltaEntries, RawDeltaSize, TotalDestinationSizeChange, Errors,
    }

    private static StatisticsGrammar.Kind KindOf(Field field) => field switch
    {
        Field.StartTime or Field.EndTime => StatisticsGrammar.Kind.Time,
        Field.ElapsedTime => StatisticsGrammar.Kind.Elapsed,
        Field.SourceFileSize or Field.NewFileSize or Field.ChangedFileSize or Field.ChangedDeltaSize or Field.RawDeltaSize
            or Field.TotalDestinationSizeChange => StatisticsGrammar.Kind.Size,
        _ => StatisticsGrammar.Kind.Count,
    };

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

    private void Set(Field field, in StatisticsGrammar.Value value)
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

    internal static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

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
