using System.Globalization;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// The lines of a Backup Statistics block exactly as duplicity's <c>statistics.py</c> writes them (0.8.22 to 3.1.0):
/// <code>
/// StartTime %.2f (time.asctime(localtime))       EndTime the same
/// ElapsedTime %.2f (dup_time.inttopretty)          "1 hour 2 minutes 3.50 seconds"
/// SourceFiles %s                                   a count; NewFiles, DeletedFiles, ChangedFiles, DeltaEntries too
/// SourceFileSize %s (get_byte_summary_string)      "11.5 MB", "4.01 KB", "1 byte", "-301 bytes"; the other sizes too
/// Errors %d
/// </code>
/// The part in parentheses is read too and must agree with the number before it: a garbled digit in either is
/// damage, not a value to guess. The local time's zone is not known, so a time must be the epoch shifted by a
/// whole number of quarter hours between UTC-12 and UTC+14, with its weekday.
/// </summary>
internal static class StatisticsGrammar
{
    public enum Kind
    {
        Count,
        Size,
        Time,
        Elapsed,
    }

    /// <summary>A value read: a whole number, or a fixed-point number with two decimals (exact as a double).</summary>
    public readonly struct Value(long mantissa, int decimals)
    {
        public double Real => mantissa / PowersOfTen[decimals];

        public long Whole => decimals == 0 ? mantissa : (long)Math.Round(Real);
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2];

    /// <summary><c>--------------[ Title ]--------------</c>: 14 dashes each side, a title without brackets.</summary>
    public static bool IsHeading(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd((byte)'\r');
        const int side = 14;
        if (line.Length < 2 * side + 5) return false;
        var left = line[..side];
        var right = line[^side..];
        if (left.ContainsAnyExcept((byte)'-') || right.ContainsAnyExcept((byte)'-')) return false;
        var middle = line[side..^side];
        if (!middle.StartsWith("[ "u8) || !middle.EndsWith(" ]"u8)) return false;
        var title = middle[2..^2];
        return title.Trim((byte)' ').Length == title.Length && title.IndexOfAny((byte)'[', (byte)']') < 0;
    }

    /// <summary>A key a newer duplicity may add: <c>Key number</c> or <c>Key number (text)</c>, the key letters.</summary>
    public static bool IsFutureLine(ReadOnlySpan<byte> line)
    {
        var blank = line.IndexOf((byte)' ');
        if (blank <= 0 || line[0] is < (byte)'A' or > (byte)'Z') return false;
        foreach (var b in line[..blank])
            if ((uint)((b | 0x20) - 'a') > 'z' - 'a') return false;
        var rest = line[(blank + 1)..];
        var end = rest.IndexOf((byte)' ');
        var number = end < 0 ? rest : rest[..end];
        // A number as a newer duplicity might print it (not read: the key is not known).
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            || number.IsEmpty || number[0] is (byte)' ')
            return false;
        return end < 0 || IsParenthesised(rest[end..]);
    }

    private static bool IsParenthesised(ReadOnlySpan<byte> tail)
        => tail.Length >= 4 && tail.StartsWith(" ("u8) && tail[^1] == (byte)')' && tail[2..^1].IndexOfAny((byte)'(', (byte)')') < 0;

    /// <summary>Reads what follows the key and its blank, for a key of <paramref name="kind"/>.</summary>
    public static bool TryRead(Kind kind, ReadOnlySpan<byte> rest, out Value value)
    {
        value = default;
        var end = rest.IndexOf((byte)' ');
        var number = end < 0 ? rest : rest[..end];
        var tail = end < 0 ? [] : rest[end..];
        switch (kind)
        {
            case Kind.Count:
                if (!tail.IsEmpty || !TryWhole(number, negative: false, out var count)) return false;
                value = new Value(count, 0);
                return true;
            case Kind.Size:
                if (!IsParenthesised(tail) || !TryWhole(number, negative: true, out var size) || !IsByteSummary(size, tail[2..^1])) return false;
                value = new Value(size, 0);
                return true;
            case Kind.Time:
                if (!IsParenthesised(tail) || !TryHundredths(number, negative: false, out var time) || !IsLocalTime(time / 100.0, tail[2..^1])) return false;
                value = new Value(time, 2);
                return true;
            default:
                if (!IsParenthesised(tail) || !TryHundredths(number, negative: true, out var elapsed) || !IsDuration(elapsed / 100.0, tail[2..^1])) return false;
                value = new Value(elapsed, 2);
                return true;
        }
    }

    /// <summary><c>%d</c>: digits, a minus sign when allowed, at most 18 digits.</summary>
    private static bool TryWhole(ReadOnlySpan<byte> text, bool negative, out long value)
    {
        value = 0;
        var minus = negative && text.Length > 1 && text[0] == (byte)'-';
        var digits = minus ? text[1..] : text;
        if (digits.IsEmpty || digits.Length > 18) return false;
        foreach (var b in digits)
        {
            if ((uint)(b - '0') > 9) return false;
            value = value * 10 + (b - '0');
        }
        if (minus) value = -value;
        return true;
    }

    /// <summary><c>%.2f</c> as hundredths: digits, a point, two digits (at most 15 digits, exact in a double).</summary>
    private static bool TryHundredths(ReadOnlySpan<byte> text, bool negative, out long value)
    {
        value = 0;
        if (text.Length < 4 || text[^3] != (byte)'.') return false;
        var minus = negative && text[0] == (byte)'-';
        var whole = text[(minus ? 1 : 0)..^3];
        if (whole.IsEmpty || whole.Length > 13 || !TryWhole(whole, negative: false, out var w) || !TryWhole(text[^2..], negative: false, out var f)) return false;
        value = w * 100 + f;
        if (minus) value = -value;
        return true;
    }

    private static readonly (long Bytes, byte[] Unit)[] Units =
        [(1L << 40, "TB"u8.ToArray()), (1L << 30, "GB"u8.ToArray()), (1L << 20, "MB"u8.ToArray()), (1L << 10, "KB"u8.ToArray())];

    /// <summary>
    /// <c>get_byte_summary_string</c>: three significant figures and a unit from 1 KiB, else "1 byte" / "N bytes",
    /// with the sign of the count. The figures are compared within half a unit of their last place (Python rounds
    /// halves to even, .NET away from zero).
    /// </summary>
    private static bool IsByteSummary(long count, ReadOnlySpan<byte> text)
    {
        var negative = count < 0;
        if (negative != (text.Length > 0 && text[0] == (byte)'-')) return false;
        if (negative) text = text[1..];
        var magnitude = Math.Abs(count);
        var blank = text.IndexOf((byte)' ');
        if (blank <= 0) return false;
        var number = text[..blank];
        var unit = text[(blank + 1)..];
        foreach (var (bytes, name) in Units)
        {
            if (magnitude < bytes) continue;
            var exact = (double)magnitude / bytes;
            var decimals = exact >= 100 ? 0 : exact >= 10 ? 1 : 2;
            if (!unit.SequenceEqual(name)) return false;
            if (decimals == 0 ? !TryWhole(number, false, out var w) : !TryFixed(number, decimals, out w)) return false;
            var shown = w / PowersOfTen[decimals];
            return Math.Abs(shown - exact) <= 0.5 / PowersOfTen[decimals] + 1e-9;
        }
        if (!TryWhole(number, false, out var n) || n != magnitude) return false;
        return unit.SequenceEqual(magnitude == 1 ? "byte"u8 : "bytes"u8);
    }

    /// <summary>Digits, a point, exactly <paramref name="decimals"/> digits, as a whole number of that scale.</summary>
    private static bool TryFixed(ReadOnlySpan<byte> text, int decimals, out long value)
    {
        value = 0;
        var point = text.Length - decimals - 1;
        if (point < 1 || text[point] != (byte)'.') return false;
        if (!TryWhole(text[..point], false, out var w) || !TryWhole(text[(point + 1)..], false, out var f)) return false;
        value = w * (long)PowersOfTen[decimals] + f;
        return true;
    }

    /// <summary>
    /// <c>inttopretty</c>: "[N hours |1 hour ][N minutes |1 minute ][1 second|S.SS seconds]"; the seconds are left out
    /// when at most 1 after hours or minutes, so the sum must be within a second of the value.
    /// </summary>
    private static bool IsDuration(double seconds, ReadOnlySpan<byte> text)
    {
        double total = 0;
        var parts = 0;
        var stage = 0; // 0 hours, 1 minutes, 2 seconds: each at most once, in this order
        while (!text.IsEmpty)
        {
            var blank = text.IndexOf((byte)' ');
            if (blank <= 0) return false;
            var number = text[..blank];
            text = text[(blank + 1)..];
            var next = text.IndexOf((byte)' ');
            var word = next < 0 ? text : text[..next];
            text = next < 0 ? [] : text[(next + 1)..];
            if (next >= 0 && text.IsEmpty) return false;
            int unit;
            if (word.SequenceEqual("hours"u8) || word.SequenceEqual("hour"u8)) unit = 0;
            else if (word.SequenceEqual("minutes"u8) || word.SequenceEqual("minute"u8)) unit = 1;
            else if (word.SequenceEqual("seconds"u8) || word.SequenceEqual("second"u8)) unit = 2;
            else return false;
            if (unit < stage || (parts > 0 && unit == stage)) return false;
            stage = unit;
            parts++;
            var singular = !word.EndsWith("s"u8);
            double amount;
            if (unit == 2 && !singular)
            {
                if (!TryFixed(number, 2, out var hundredths)) return false;
                amount = hundredths / 100.0;
            }
            else
            {
                if (!TryWhole(number, false, out var whole)) return false;
                amount = whole;
            }
            if (singular != (amount == 1 && number.SequenceEqual("1"u8))) return false;
            total += amount * (unit == 0 ? 3600 : unit == 1 ? 60 : 1);
        }
        if (parts == 0) return false;
        // A negative elapsed time (the clock stepped back) prints divmod's remainders: only the form is checked.
        return seconds < 0 || Math.Abs(total - seconds) <= 1.01;
    }

    private static ReadOnlySpan<byte> Days => "SunMonTueWedThuFriSat"u8;
    private static ReadOnlySpan<byte> Months => "JanFebMarAprMayJunJulAugSepOctNovDec"u8;

    /// <summary>Index of a three-letter name in a run of them, or -1.</summary>
    private static int NameIndex(ReadOnlySpan<byte> names, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i + 3 <= names.Length; i += 3)
            if (names.Slice(i, 3).SequenceEqual(name)) return i / 3;
        return -1;
    }

    /// <summary>
    /// <c>time.asctime</c>: "Thu Nov 26 10:57:52 2026", the day padded to two with a blank ("Jun  9"). The zone is
    /// not printed, so the time must be the epoch (whose seconds were cut, not rounded: up to a second more than
    /// the local time) plus a whole number of quarter hours from UTC-12 to UTC+14.
    /// </summary>
    private static bool IsLocalTime(double epoch, ReadOnlySpan<byte> text)
    {
        // Www Mmm dd HH:MM:SS Y...
        if (text.Length < 24 || text[3] != (byte)' ' || text[7] != (byte)' ' || text[10] != (byte)' ' || text[13] != (byte)':'
            || text[16] != (byte)':' || text[19] != (byte)' ')
            return false;
        var day = NameIndex(Days, text[..3]);
        var month = NameIndex(Months, text[4..7]) + 1;
        var dayText = text[8] == (byte)' ' ? text[9..10] : text[8..10];
        if (day < 0 || month < 1 || !TryWhole(dayText, false, out var dd) || !TryWhole(text[11..13], false, out var hh)
            || !TryWhole(text[14..16], false, out var mm) || !TryWhole(text[17..19], false, out var ss)
            || !TryWhole(text[20..], false, out var yyyy) || text[20] == (byte)'0')
            return false;
        if (yyyy is < 1970 or > 9999 || dd < 1 || dd > DateTime.DaysInMonth((int)yyyy, month) || hh > 23 || mm > 59 || ss > 60) return false;
        var local = new DateTime((int)yyyy, month, (int)dd, (int)hh, (int)mm, (int)Math.Min(ss, 59), DateTimeKind.Utc);
        if ((int)local.DayOfWeek != day) return false;
        var shift = (local - DateTime.UnixEpoch).TotalSeconds + (ss == 60 ? 1 : 0) - epoch;
        var quarters = Math.Round(shift / 900);
        var rest = shift - quarters * 900;
        return quarters is >= -48 and <= 56 && rest is >= -1.01 and <= 0.01;
    }
}
