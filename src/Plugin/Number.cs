using System.Globalization;

namespace DuplicityChecks.Plugin;

/// <summary>Invariant, exponent-free number text for perfdata and ranges.</summary>
public static class Number
{
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return "U";
        if (value == Math.Floor(value) && Math.Abs(value) < 9.2e18)
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        // Fixed notation: never "1E-05" (perfdata parsers reject exponents).
        return value.ToString("0.###############", CultureInfo.InvariantCulture);
    }

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
