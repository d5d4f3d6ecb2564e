namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// duplicity's own timestamps (<c>dup_time.timetostring</c>): <c>YYYYMMDDTHHMMSSZ</c>, always UTC, in the machine
/// log and in file names. Parsed by hand from a span: no allocation, no culture.
/// </summary>
public static class DuplicityTimestamp
{
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 16 || text[8] != 'T' || text[15] != 'Z') return false;
        if (!TryDigits(text[..8], out var date) || !TryDigits(text.Slice(9, 6), out var time)) return false;
        int year = date / 10000, month = date / 100 % 100, day = date % 100;
        int hour = time / 10000, minute = time / 100 % 100, second = time % 100;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        if (hour > 23 || minute > 59 || second > 59) return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    public static string Format(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    internal static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 9) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
