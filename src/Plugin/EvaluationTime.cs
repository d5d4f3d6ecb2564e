using System.Globalization;

namespace DuplicityChecks.Plugin;

/// <summary>Parses <c>--now</c>: epoch seconds or ISO 8601 (UTC when no offset is given).</summary>
public static class EvaluationTime
{
    public static DateTimeOffset Parse(string text)
    {
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch))
        {
            if (epoch < 0 || epoch > 253402300799) throw new UsageException($"--now: {text} is out of range");
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000));
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
            return when;
        throw new UsageException($"--now: '{text}' is neither epoch seconds nor ISO 8601 (2026-11-26T10:00:00Z)");
    }
}
