using System.Globalization;
using System.Text;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Durations as users type them: <c>90</c> (seconds), <c>90s</c>, <c>15m</c>, <c>26h</c>, <c>2d</c>, <c>1w</c>,
/// compounds such as <c>1h30m</c>, and duplicity's own interval letters <c>7D</c>, <c>1W</c>, <c>1M</c> (30 days)
/// and <c>1Y</c> (365 days). Lower-case <c>m</c> is minutes, upper-case <c>M</c> is months, as in duplicity.
/// </summary>
public static class Duration
{
    public static bool TryParseSeconds(string? text, out double seconds)
    {
        seconds = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var negative = false;
        var i = 0;
        if (s[0] is '-' or '+') { negative = s[0] == '-'; i = 1; }
        if (i >= s.Length) return false;
        double total = 0;
        var sawUnit = false;
        var sawNumber = false;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start) return false;
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            sawNumber = true;
            if (i == s.Length)
            {
                // A bare number is seconds, but only alone: "1h30" is ambiguous and refused.
                if (sawUnit) return false;
                total += number;
                break;
            }
            var factor = UnitSeconds(s[i]);
            if (factor is null) return false;
            total += number * factor.Value;
            sawUnit = true;
            i++;
        }
        if (!sawNumber || double.IsInfinity(total) || double.IsNaN(total)) return false;
        seconds = negative ? -total : total;
        return true;
    }

    public static double ParseSeconds(string text, string what)
        => TryParseSeconds(text, out var s) ? s
            : throw new UsageException($"{what}: '{text}' is not a duration (use 90, 90s, 15m, 26h, 2d, 1w, 7D, 1M)");

    private static double? UnitSeconds(char unit) => unit switch
    {
        's' or 'S' => 1,
        'm' => 60,
        'h' or 'H' => 3600,
        'd' or 'D' => 86400,
        'w' or 'W' => 7 * 86400,
        'M' => 30 * 86400,
        'y' or 'Y' => 365 * 86400,
        _ => null,
    };

    /// <summary>Human text with the two most significant units: "45s", "3h 12m", "5d", "13h 2m".</summary>
    public static string Format(double seconds)
    {
        if (double.IsNaN(seconds)) return "?";
        var negative = seconds < 0;
        var total = (long)Math.Round(Math.Abs(seconds));
        Span<long> sizes = [86400, 3600, 60, 1];
        ReadOnlySpan<char> names = ['d', 'h', 'm', 's'];
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        var parts = 0;
        for (var u = 0; u < sizes.Length && parts < 2; u++)
        {
            var n = total / sizes[u];
            total %= sizes[u];
            if (n == 0)
            {
                if (parts > 0) break; // "3h" rather than "3h 0m"
                continue;
            }
            if (parts > 0) sb.Append(' ');
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(names[u]);
            parts++;
        }
        if (parts == 0) sb.Append("0s");
        return sb.ToString();
    }
}
