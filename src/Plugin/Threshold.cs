namespace DuplicityChecks.Plugin;

/// <summary>A warning and a critical range, either optional (evaluation phase).</summary>
public sealed record Threshold(ThresholdRange? Warning, ThresholdRange? Critical)
{
    public static readonly Threshold None = new(null, null);

    /// <summary>Critical is checked first, then warning; otherwise OK.</summary>
    public ServiceState Evaluate(double value)
    {
        if (Critical is { } c && c.Alerts(value)) return ServiceState.Critical;
        if (Warning is { } w && w.Alerts(value)) return ServiceState.Warning;
        return ServiceState.Ok;
    }

    /// <summary>Builds a threshold from option text; null or empty text means "no range".</summary>
    public static Threshold Parse(string? warning, string? critical, RangeUnits units, string warningName, string criticalName)
        => new(
            string.IsNullOrEmpty(warning) ? null : ThresholdRange.Parse(warning, units, warningName),
            string.IsNullOrEmpty(critical) ? null : ThresholdRange.Parse(critical, units, criticalName));
}
