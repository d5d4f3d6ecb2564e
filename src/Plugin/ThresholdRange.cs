using System.Globalization;

namespace DuplicityChecks.Plugin;

/// <summary>
/// A monitoring-plugins threshold range <c>[@][start:][end]</c> (evaluation phase).
/// <code>
/// ThresholdRange    Alert when x...
/// 10       x &lt; 0 or x &gt; 10
/// 10:      x &lt; 10
/// ~:10     x &gt; 10
/// 10:20    x &lt; 10 or x &gt; 20
/// @10:20   10 &lt;= x &lt;= 20
/// </code>
/// Endpoints count as inside. <c>~</c> is minus infinity. start &gt; end is an error, and so is the empty string
/// (an unset option means "no threshold"; it is not 0..infinity). Every number may carry a duration unit when
/// the range is parsed as durations (<c>26h</c>, <c>@0:30m</c>); values are then in seconds.
/// </summary>
public readonly record struct ThresholdRange(double Start, double End, bool AlertInside)
{
    public static ThresholdRange Parse(string text, RangeUnits units = RangeUnits.Plain, string what = "range")
        => TryParse(text, units, out var r, out var error) ? r : throw new UsageException($"{what}: {error}");

    public static bool TryParse(string? text, RangeUnits units, out ThresholdRange range, out string error)
    {
        range = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "empty range"; return false; }
        var s = text.Trim();
        var inside = false;
        if (s[0] == '@') { inside = true; s = s[1..]; }
        if (s.Length == 0) { error = $"'{text}' has no bounds"; return false; }

        double start = 0, end;
        var colon = s.IndexOf(':');
        if (colon >= 0)
        {
            var startText = s[..colon];
            var endText = s[(colon + 1)..];
            if (startText == "~") start = double.NegativeInfinity;
            else if (startText.Length == 0) start = 0;
            else if (!TryNumber(startText, units, out start)) { error = $"'{text}': bad start '{startText}'"; return false; }
            if (endText.Length == 0) end = double.PositiveInfinity;
            else if (!TryNumber(endText, units, out end)) { error = $"'{text}': bad end '{endText}'"; return false; }
        }
        else if (!TryNumber(s, units, out end)) { error = $"'{text}' is not a range ([@][start:][end])"; return false; }

        if (start > end) { error = $"'{text}': start is greater than end"; return false; }
        range = new ThresholdRange(start, end, inside);
        return true;
    }

    private static bool TryNumber(string text, RangeUnits units, out double value)
    {
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
            return !double.IsNaN(value) && !double.IsInfinity(value);
        return units == RangeUnits.Duration && Duration.TryParseSeconds(text, out value);
    }

    /// <summary>True when <paramref name="value"/> must raise an alert.</summary>
    public bool Alerts(double value)
    {
        var inside = value >= Start && value <= End;
        return AlertInside ? inside : !inside;
    }

    /// <summary>True for the plain form "0:N" that perfdata consumers understand as a single number.</summary>
    public bool IsPlainUpperBound => !AlertInside && Start == 0 && !double.IsPositiveInfinity(End);

    /// <summary>Canonical text in base units, round-trippable through <see cref="Parse"/>.</summary>
    public override string ToString()
    {
        var prefix = AlertInside ? "@" : "";
        if (IsPlainUpperBound) return prefix + Number.Format(End);
        var start = double.IsNegativeInfinity(Start) ? "~" : Number.Format(Start);
        var end = double.IsPositiveInfinity(End) ? "" : Number.Format(End);
        return $"{prefix}{start}:{end}";
    }

    /// <summary>Human description of the alerting condition, e.g. "outside 0:93600".</summary>
    public string Describe(Func<double, string>? format = null)
    {
        format ??= Number.Format;
        if (AlertInside) return $"inside {Bound(Start, format)}..{Bound(End, format)}";
        if (double.IsPositiveInfinity(End)) return $"below {Bound(Start, format)}";
        if (Start == 0 || double.IsNegativeInfinity(Start)) return $"above {format(End)}";
        return $"outside {Bound(Start, format)}..{Bound(End, format)}";
    }

    private static string Bound(double v, Func<double, string> format)
        => double.IsNegativeInfinity(v) ? "-inf" : double.IsPositiveInfinity(v) ? "inf" : format(v);
}

/// <summary>Whether range numbers may carry duration units (values in seconds).</summary>
public enum RangeUnits
{
    Plain,
    Duration,
}
