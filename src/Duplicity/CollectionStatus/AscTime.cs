using System.Diagnostics.CodeAnalysis;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.CollectionStatus;

/// <summary>
/// The human dates of collection-status (<c>time.asctime(time.localtime(t))</c>): <c>Thu Nov 26 10:10:38 2026</c>,
/// day space-padded, English names whatever the locale, in the duplicity process's LOCAL time with no zone shown.
/// The caller says which zone that was (<c>--timezone</c>).
/// </summary>
/// <remarks>
/// Daylight-saving changes: a local time in the repeated hour (autumn) has two readings; we take the one with
/// the larger UTC offset, i.e. the EARLIER instant. That makes a backup look older, never newer, than it might
/// be: an age is at most overstated by the DST shift (one hour), never understated, so the check cannot say OK
/// for a backup that is in truth too old. A local time in the skipped hour (spring) cannot come from
/// <c>localtime()</c>: the text was written in another zone than the one given, so it is refused.
/// </remarks>
public static class AscTime
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>Parses the asctime text into a local wall-clock time (Kind Unspecified); false if it is not one.</summary>
    public static bool TryParseLocal(ReadOnlySpan<char> text, out DateTime local)
    {
        text = text.Trim();
        // The form asctime prints, at fixed places (one row per backup set: 10,000 sets are 10,000 of these).
        // A blank inside a field fails that field's test below, as it fails the general path; a blank before the
        // year, or a second one before the day, is padding there: those forms take the general path.
        if (text.Length == 24 && text[3] == ' ' && text[7] == ' ' && text[10] == ' ' && text[19] == ' ' && text[9] != ' ' && text[20] != ' ')
            return Compose(text[..3], text.Slice(4, 3), text[8] == ' ' ? text.Slice(9, 1) : text.Slice(8, 2), text.Slice(11, 8), text[20..], out local);
        // Www Mmm d hh:mm:ss yyyy, separated by one or more spaces (the day is space-padded).
        Span<Range> parts = stackalloc Range[6];
        var count = text.Split(parts, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count != 5)
        {
            local = default;
            return false;
        }
        return Compose(text[parts[0]], text[parts[1]], text[parts[2]], text[parts[3]], text[parts[4]], out local);
    }

    private static bool Compose(ReadOnlySpan<char> dayName, ReadOnlySpan<char> monthName, ReadOnlySpan<char> dayText,
        ReadOnlySpan<char> clock, ReadOnlySpan<char> yearText, out DateTime local)
    {
        local = default;
        if (dayName.Length != 3 || monthName.Length != 3 || clock.Length != 8 || clock[2] != ':' || clock[5] != ':') return false;
        var month = MonthNumber(monthName);
        if (month == 0) return false;
        if (!Digits(dayText, out var day) || !Digits(yearText, out var year)) return false;
        if (!Digits(clock[..2], out var hour) || !Digits(clock.Slice(3, 2), out var minute)
            || !Digits(clock.Slice(6, 2), out var second)) return false;
        if (year is < 1 or > 9999 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        // The weekday is redundant; a mismatch means this is not an asctime we understand.
        return dayName.SequenceEqual(Days[(int)local.DayOfWeek]);
    }

    /// <summary>
    /// The UTC instant of a wall-clock time in <paramref name="zone"/> (ambiguous: the earlier instant;
    /// skipped by DST: <see cref="CheckException"/>).
    /// </summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // Fast path for TZ=UTC (what the live run uses): no rule lookup per row.
        if (zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime)
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Utc));
        if (zone.IsInvalidTime(local))
            throw new CheckException($"the local time '{local.ToString("ddd MMM d HH:mm:ss yyyy", System.Globalization.CultureInfo.InvariantCulture)}' does not exist in time zone {zone.Id} (skipped by a daylight-saving change): give the zone duplicity ran in with --timezone");
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var largest = offsets[0];
            foreach (var o in offsets) if (o > largest) largest = o;
            return new DateTimeOffset(local, largest).ToUniversalTime();
        }
        return new DateTimeOffset(DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeToUtc(local, zone), DateTimeKind.Utc));
    }

    /// <summary>Parse and convert in one step; <see cref="CheckException"/> when the text is not an asctime.</summary>
    public static DateTimeOffset ParseUtc(string text, TimeZoneInfo zone)
    {
        if (!TryParseLocal(text, out var local))
            throw new CheckException($"'{text.Trim()}' is not a duplicity date (expected like 'Thu Nov 26 10:10:38 2026')");
        return ToUtc(local, zone);
    }

    /// <summary>A zone by its IANA id (such as Europe/Berlin) or UTC; null/empty = the machine's zone. False: no such zone.</summary>
    public static bool TryFindZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = TimeZoneInfo.Local;
        if (string.IsNullOrWhiteSpace(id)) return true;
        zone = TimeZoneInfo.Utc;
        if (id is "UTC" or "utc" or "Z") return true;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
            return false;
        }
    }

    /// <summary>1-12, 0 for no month name. A switch, not a search of the twelve names: one date per set row (issue 6).</summary>
    private static int MonthNumber(ReadOnlySpan<char> name) => name switch
    {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => 0,
    };

    private static bool Digits(ReadOnlySpan<char> text, out int value)
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
