namespace DuplicityChecks.Duplicity.Model;

/// <summary>
/// The time stamps inside duplicity file names (upstream <c>dup_time.stringtotime</c>):
/// the current form <c>20261126T101038Z</c> (UTC, 16 characters, every version since 0.6), and the old
/// <c>--old-filenames</c> form <c>2008-05-04T10:11:12+02:00</c> (local time with its offset; the separator
/// is <c>--time-separator</c>, any single punctuation character, also inside the offset).
/// Out-of-range fields roll over the way Python's <c>timegm</c> does (day 31 of a 30-day month is the 1st).
/// </summary>
public static class DuplicityTime
{
    private const int NewLength = 16;
    private const int OldLength = 19;

    /// <summary>Formats a time the way duplicity names files: <c>yyyyMMddTHHmmssZ</c> in UTC.</summary>
    public static string Format(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a whole time stamp (either form).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        if (text.Length == NewLength) return TryParseNew(text, out time);
        if (text.Length is OldLength + 1 or OldLength + 6) return TryParseOld(text, out time);
        time = default;
        return false;
    }

    /// <summary>
    /// True unless a current-form stamp rolled over (day 31 of a 30-day month, second 60 or 61): the parsed day
    /// and second are the written ones. Old-form stamps carry an offset and are not checked.
    /// </summary>
    public static bool IsCalendarExact(ReadOnlySpan<char> text, DateTimeOffset time)
        => text.Length != NewLength
            || (time.UtcDateTime.Day == (text[6] - '0') * 10 + (text[7] - '0') && time.UtcDateTime.Second == (text[13] - '0') * 10 + (text[14] - '0'));

    /// <summary>
    /// Reads a time stamp at the start of <paramref name="s"/> that is followed by a '.', and advances past it
    /// (the '.' stays). Fixed lengths make this unambiguous even when the old form uses '.' as separator.
    /// </summary>
    public static bool TryRead(ref ReadOnlySpan<char> s, out DateTimeOffset time)
    {
        foreach (var length in (ReadOnlySpan<int>)[NewLength, OldLength + 1, OldLength + 6])
        {
            if (s.Length > length && s[length] == '.' && TryParse(s[..length], out time))
            {
                s = s[length..];
                return true;
            }
        }
        time = default;
        return false;
    }

    private static bool TryParseNew(ReadOnlySpan<char> t, out DateTimeOffset time)
    {
        time = default;
        // yyyyMMddTHHmmssZ; upstream upper-cases the stamp first, so 't' and 'z' are accepted too.
        if ((t[8] | 0x20) != 't' || (t[15] | 0x20) != 'z') return false;
        if (!Digits(t, 0, 4, out var year) || !Digits(t, 4, 2, out var month) || !Digits(t, 6, 2, out var day)) return false;
        if (!Digits(t, 9, 2, out var hour) || !Digits(t, 11, 2, out var minute) || !Digits(t, 13, 2, out var second)) return false;
        return TryCompose(year, month, day, hour, minute, second, TimeSpan.Zero, out time);
    }

    private static bool TryParseOld(ReadOnlySpan<char> t, out DateTimeOffset time)
    {
        time = default;
        // yyyy-MM-ddTHH:mm:ss then Z or +HH:mm (':' = the time separator)
        if (t[4] != '-' || t[7] != '-' || (t[10] | 0x20) != 't') return false;
        var sep = t[13];
        if (!IsSeparator(sep) || t[16] != sep) return false;
        if (!Digits(t, 0, 4, out var year) || !Digits(t, 5, 2, out var month) || !Digits(t, 8, 2, out var day)) return false;
        if (!Digits(t, 11, 2, out var hour) || !Digits(t, 14, 2, out var minute) || !Digits(t, 17, 2, out var second)) return false;
        var tz = t[OldLength..];
        TimeSpan offset;
        if (tz.Length == 1)
        {
            if ((tz[0] | 0x20) != 'z') return false;
            offset = TimeSpan.Zero;
        }
        else
        {
            if ((tz[0] != '+' && tz[0] != '-') || tz[3] != sep) return false;
            if (!Digits(tz, 1, 2, out var oh) || !Digits(tz, 4, 2, out var om) || oh > 23 || om > 59) return false;
            offset = new TimeSpan(oh, om, 0);
            if (tz[0] == '-') offset = -offset;
        }
        return TryCompose(year, month, day, hour, minute, second, offset, out time);
    }

    private static bool TryCompose(int year, int month, int day, int hour, int minute, int second, TimeSpan offset, out DateTimeOffset time)
    {
        time = default;
        // The same bounds as upstream's asserts (1900 < year < 2100, seconds up to 61 for leap seconds).
        if (year is <= 1900 or >= 2100 || month is < 1 or > 12 || day is < 1 or > 31) return false;
        if (hour > 23 || minute > 59 || second > 61) return false;
        // Whole seconds added to the first of the month (the roll-over above); ticks, not four Add calls in double:
        // every name of a 100,000-file cache comes through here.
        var local = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified).Ticks
            + (((day - 1) * 24L + hour) * 60 + minute) * 60 * TimeSpan.TicksPerSecond + second * TimeSpan.TicksPerSecond;
        time = new DateTimeOffset(local - offset.Ticks, TimeSpan.Zero);
        return true;
    }

    // Printable ASCII punctuation ('/' cannot occur in a file name).
    private static bool IsSeparator(char c) => c is > ' ' and < (char)127 && !char.IsAsciiLetterOrDigit(c) && c != '/';

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
