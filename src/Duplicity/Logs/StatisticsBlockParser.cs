using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// Reads one Backup Statistics block line by line into a <see cref="BackupStatistics"/>: finds the key of a line
/// (one dispatch on its bytes), reads its value by the <see cref="StatisticsGrammar"/> of that key, and notes the
/// first damage (a key indented, repeated, out of order or unreadable; a line missing; the heading or closing
/// line not as duplicity writes it). A big log holds a block per run: an intact line is read from its UTF-8 bytes
/// with no decoding and no allocation, and the log scanner reuses one parser for every block (<see cref="Reset"/>):
/// a block costs the allocation of its <see cref="BackupStatistics"/> only.
/// </summary>
public sealed class StatisticsBlockParser
{
    // Length of the heading, which the closing line repeats in dashes (statistics.py: footer = "-" * len(header));
    // 0 when the block was made without its heading (tests of single lines).
    private int _headingLength;

    // The known keys read so far (in print order, each once) and those whose value was read; the values by key.
    private readonly StatisticsGrammar.Value[] _values = new StatisticsGrammar.Value[(int)Field.Errors + 1];
    private int _fieldsSeen;
    private int _fieldsRead;
    private Field _lastField;

    // The first damage seen while reading.
    private string? _damage;
    private string? _damagedLine;

    private BackupStatistics? _statistics;

    public StatisticsBlockParser()
    {
    }

    /// <summary>A block that starts with <paramref name="heading"/> (the line as duplicity wrote it, after any time stamp).</summary>
    public StatisticsBlockParser(ReadOnlySpan<byte> heading, bool indented = false) => Reset(heading, indented);

    /// <summary>Forgets the block read so far: a new one starts with <paramref name="heading"/>.</summary>
    public void Reset(ReadOnlySpan<byte> heading, bool indented = false)
    {
        _fieldsSeen = 0;
        _fieldsRead = 0;
        _lastField = Field.Other;
        _damage = null;
        _damagedLine = null;
        _statistics = null;
        Closed = false;
        _headingLength = heading.Length;
        if (indented) Damage("heading indented", heading);
        else if (!StatisticsGrammar.IsHeading(heading)) Damage("heading damaged", heading);
    }

    /// <inheritdoc cref="StatisticsBlockParser(ReadOnlySpan{byte}, bool)"/>
    public StatisticsBlockParser(string heading) : this(Encoding.UTF8.GetBytes(heading))
    {
    }

    /// <summary>The block ended with its closing dashes.</summary>
    public bool Closed { get; private set; }

    /// <summary>Nothing was read after the heading.</summary>
    public bool IsEmpty => _fieldsSeen == 0 && !Closed;

    /// <summary>What was read so far.</summary>
    public BackupStatistics Statistics => _statistics ??= Build();

    /// <summary>Damage the reader of the block sees around it (a repeated heading).</summary>
    internal void MarkDamaged(string reason, ReadOnlySpan<byte> line) => Damage(reason, line);

    private void Damage(string reason, ReadOnlySpan<byte> line)
    {
        if (_damage is not null) return;
        _damage = reason;
        _damagedLine = Encoding.UTF8.GetString(line.Length > 200 ? line[..200] : line);
        _statistics = null;
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
        _statistics = null;
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

    /// <inheritdoc cref="TryAddLine(ReadOnlySpan{char})"/>
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
        _statistics = null;
        if (indented)
        {
            Damage($"{field} line indented", raw);
            return true;
        }
        var bit = 1 << (int)field;
        if ((_fieldsSeen & bit) != 0)
        {
            Damage($"{field} line repeated", raw);
            return true;
        }
        _fieldsSeen |= bit;
        if (field < _lastField) Damage($"{field} line out of order", raw);
        else _lastField = field;
        if (blank < 0 || !StatisticsGrammar.TryRead(KindOf(field), text[(blank + 1)..], out _values[(int)field]))
        {
            Damage($"{field} line unreadable", raw);
            return true;
        }
        _fieldsRead |= bit;
        return true;
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

    private string? MissingReason()
    {
        if (_fieldsSeen == 0) return "nothing after its heading";
        if ((_fieldsRead & (1 << (int)Field.Errors)) == 0) return "Errors line missing";
        for (var f = Field.StartTime; f <= Field.Errors; f++)
            if ((_fieldsSeen & (1 << (int)f)) == 0) return $"{f} line missing";
        return Closed ? null : "no closing line (cut off, or still being written)";
    }

    private double? Real(Field f) => (_fieldsRead & (1 << (int)f)) != 0 ? _values[(int)f].Real : null;

    private long? Whole(Field f) => (_fieldsRead & (1 << (int)f)) != 0 ? _values[(int)f].Whole : null;

    private BackupStatistics Build() => new()
    {
        StartTime = Real(Field.StartTime),
        EndTime = Real(Field.EndTime),
        ElapsedTime = Real(Field.ElapsedTime),
        SourceFiles = Whole(Field.SourceFiles),
        SourceFileSize = Whole(Field.SourceFileSize),
        NewFiles = Whole(Field.NewFiles),
        NewFileSize = Whole(Field.NewFileSize),
        DeletedFiles = Whole(Field.DeletedFiles),
        ChangedFiles = Whole(Field.ChangedFiles),
        ChangedFileSize = Whole(Field.ChangedFileSize),
        ChangedDeltaSize = Whole(Field.ChangedDeltaSize),
        DeltaEntries = Whole(Field.DeltaEntries),
        RawDeltaSize = Whole(Field.RawDeltaSize),
        TotalDestinationSizeChange = Whole(Field.TotalDestinationSizeChange),
        Errors = Whole(Field.Errors),
        Closed = Closed,
        IsEmpty = IsEmpty,
        DamageReason = _damage ?? MissingReason(),
        DamagedLine = _damage is null ? null : _damagedLine,
    };
}
