using System.Globalization;
using DuplicityChecks.Duplicity.CollectionStatus;

namespace DuplicityChecks.Duplicity.Tests.CollectionStatus;

/// <summary>
/// AscTime's fixed-position fast path (issue 6: one date per backup set) against the general reading it
/// shortcuts: the same answer on real dates and on every one-character damage of them.
/// </summary>
public class AscTimeTests
{
    [TestCase("Thu Nov 26 10:10:38 2026", 2026, 11, 26, 10, 10, 38)]
    [TestCase("Sun Nov  1 00:00:00 2026", 2026, 11, 1, 0, 0, 0)]
    [TestCase("  Sun Nov  1 00:00:00 2026 ", 2026, 11, 1, 0, 0, 0)]
    [TestCase("Sun Nov   1 00:00:00 2026", 2026, 11, 1, 0, 0, 0)]
    [TestCase("Mon Jan 1 00:00:00 0001", 1, 1, 1, 0, 0, 0)]
    public void Reads_asctime(string text, int y, int mo, int d, int h, int mi, int s)
    {
        AscTime.TryParseLocal(text, out var local).Should().BeTrue();
        local.Should().Be(new DateTime(y, mo, d, h, mi, s));
    }

    [TestCase("Fri Nov 26 10:10:38 2026")] // wrong weekday
    [TestCase("Thu Nov 26 10:10:60 2026")]
    [TestCase("Mon Feb 30 10:10:38 2026")]
    [TestCase("Thu Nov 2610:10:38 2026")]
    [TestCase("Thu Nov 26 10:10:38 0000")]
    [TestCase("Thu Nov ٢6 10:10:38 2026")]
    public void Refuses_what_is_not_a_date(string text) => AscTime.TryParseLocal(text, out _).Should().BeFalse();

    [Test]
    public void Fast_path_and_general_reading_agree_on_every_one_character_change()
    {
        var random = new Random(26);
        var compared = 0;
        var start = new DateTime(1995, 1, 1);
        for (var i = 0; i < 400; i++)
        {
            var date = start.AddSeconds(random.NextInt64(0, 40L * 365 * 86400));
            var text = date.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture);
            // asctime pads the day to two places with a blank.
            if (date.Day < 10) text = text[..8] + " " + text[8..];
            text.Length.Should().Be(24);
            Agree(text).Should().BeTrue();
            compared++;
            for (var p = 0; p < text.Length; p++)
                foreach (var c in " 0912:aZ\t")
                {
                    Agree(text[..p] + c + text[(p + 1)..]);
                    compared++;
                }
        }
        compared.Should().BeGreaterThan(80_000);
    }

    private static bool Agree(string text)
    {
        var fast = AscTime.TryParseLocal(text, out var a);
        var general = General(text, out var b);
        fast.Should().Be(general, $"'{text}'");
        if (fast) a.Should().Be(b, $"'{text}'");
        return fast;
    }

    // The general reading (split on blanks), as AscTime did it for every row before the fast path.
    private static bool General(string text, out DateTime local)
    {
        local = default;
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5) return false;
        string dayName = parts[0], monthName = parts[1], clock = parts[3];
        if (dayName.Length != 3 || monthName.Length != 3 || clock.Length != 8 || clock[2] != ':' || clock[5] != ':') return false;
        var month = Array.IndexOf(Months, monthName) + 1;
        if (month == 0) return false;
        if (!Digits(parts[2], out var day) || !Digits(parts[4], out var year)) return false;
        if (!Digits(clock[..2], out var hour) || !Digits(clock.Substring(3, 2), out var minute) || !Digits(clock.Substring(6, 2), out var second)) return false;
        if (year is < 1 or > 9999 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        local = new DateTime(year, month, day, hour, minute, second);
        return dayName == local.DayOfWeek.ToString()[..3];
    }

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static bool Digits(string text, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 9 || !text.All(char.IsAsciiDigit)) return false;
        value = int.Parse(text, CultureInfo.InvariantCulture);
        return true;
    }
}
