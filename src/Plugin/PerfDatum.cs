using System.Text;

namespace DuplicityChecks.Plugin;

/// <summary>
/// One performance-data value, rendered as <c>label=value[UOM];warn;crit;min;max</c> (presentation phase).
/// Base units only (s, B, plain counts); invariant culture, no exponent; trailing empty fields dropped.
/// A null value renders as <c>U</c> ("could not be determined").
/// </summary>
public sealed record PerfDatum(
    string Label,
    double? Value,
    string Unit = "",
    ThresholdRange? Warning = null,
    ThresholdRange? Critical = null,
    double? Min = null,
    double? Max = null)
{
    public static PerfDatum WithThreshold(string label, double? value, string unit, Threshold threshold, double? min = null, double? max = null)
        => new(label, value, unit, threshold.Warning, threshold.Critical, min, max);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(FormatLabel(Label)).Append('=');
        sb.Append(Value is { } v ? Number.Format(v) : "U");
        if (Value is not null) sb.Append(Unit);
        var fields = new[]
        {
            Warning?.ToString() ?? "",
            Critical?.ToString() ?? "",
            Min is { } min ? Number.Format(min) : "",
            Max is { } max ? Number.Format(max) : "",
        };
        var last = fields.Length - 1;
        while (last >= 0 && fields[last].Length == 0) last--;
        for (var i = 0; i <= last; i++) sb.Append(';').Append(fields[i]);
        return sb.ToString();
    }

    /// <summary>
    /// Replaces the characters perfdata forbids in labels (<c>'</c>, <c>=</c>, <c>|</c>, line breaks) with
    /// <c>_</c>, as go-check does: Icinga 2 does not unescape a doubled quote. Quotes labels with spaces.
    /// </summary>
    public static string FormatLabel(string label)
    {
        var sb = new StringBuilder(label.Length);
        foreach (var ch in label)
            sb.Append(ch is '\'' or '=' or '|' or '\r' or '\n' or '"' ? '_' : ch);
        var clean = sb.ToString();
        if (clean.Trim().Length == 0) clean = "_";
        return clean.Contains(' ') ? $"'{clean}'" : clean;
    }
}
