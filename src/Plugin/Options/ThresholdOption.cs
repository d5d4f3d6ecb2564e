namespace DuplicityChecks.Plugin.Options;

/// <summary>
/// A warning or critical range option. Every one can be switched off with 'none' or 'off' (no threshold), in
/// every check: the words mean the same wherever a range is asked for.
/// </summary>
public static class ThresholdOption
{
    public const string Off = "no threshold";

    public static Option<ThresholdRange?> Of(string longName, char? shortName, string valueName, string help, RangeUnits units, string? jobKey = null)
        => new(longName, shortName, valueName, help, OptionParsers.Range(units)) { Off = Off, JobKey = jobKey };
}
