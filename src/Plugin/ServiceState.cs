namespace DuplicityChecks.Plugin;

/// <summary>A monitoring-plugin state; the numeric value is the exit code.</summary>
public enum ServiceState
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

/// <summary>Naming and combining of states (evaluation phase).</summary>
public static class ServiceStates
{
    /// <summary>
    /// The worst-state order, written down once: CRITICAL &gt; UNKNOWN &gt; WARNING &gt; OK.
    /// No specification exists; we follow NETWAYS go-check: a confirmed critical outranks a partial
    /// inability to check, and a part that could not be checked outranks a known warning.
    /// </summary>
    public static int Severity(this ServiceState state) => state switch
    {
        ServiceState.Ok => 0,
        ServiceState.Warning => 1,
        ServiceState.Unknown => 2,
        ServiceState.Critical => 3,
        _ => 2,
    };

    public static ServiceState Worst(ServiceState a, ServiceState b) => a.Severity() >= b.Severity() ? a : b;

    public static ServiceState Worst(IEnumerable<ServiceState> states)
    {
        var worst = ServiceState.Ok;
        foreach (var s in states) worst = Worst(worst, s);
        return worst;
    }

    /// <summary>The upper-case word used in output: OK, WARNING, CRITICAL, UNKNOWN.</summary>
    public static string Label(this ServiceState state) => state switch
    {
        ServiceState.Ok => "OK",
        ServiceState.Warning => "WARNING",
        ServiceState.Critical => "CRITICAL",
        _ => "UNKNOWN",
    };

    /// <summary>Parses a state name given by a user (ok|warning|critical|unknown, case-insensitive).</summary>
    public static bool TryParse(string? text, out ServiceState state)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ok": case "0": state = ServiceState.Ok; return true;
            case "warning": case "warn": case "1": state = ServiceState.Warning; return true;
            case "critical": case "crit": case "2": state = ServiceState.Critical; return true;
            case "unknown": case "3": state = ServiceState.Unknown; return true;
            default: state = ServiceState.Unknown; return false;
        }
    }
}
