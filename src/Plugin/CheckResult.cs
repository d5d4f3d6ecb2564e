namespace DuplicityChecks.Plugin;

/// <summary>
/// The outcome of one check run (evaluation phase): the SMS-short summary, the sub-check tree, hints
/// (the exact commands that fix the problem) and perfdata. The state is the worst of the sub-checks unless set.
/// </summary>
public sealed class CheckResult
{
    public CheckResult(string summary = "") => Summary = summary;

    public string Summary { get; set; }

    /// <summary>Overrides the derived state (rarely needed: prefer sub-checks with explicit states).</summary>
    public ServiceState? StateOverride { get; set; }

    public List<SubCheck> SubChecks { get; } = [];

    public List<string> Hints { get; } = [];

    public List<PerfDatum> PerfData { get; } = [];

    public ServiceState State => StateOverride ?? ServiceStates.Worst(SubChecks.Select(s => s.State));

    public SubCheck Add(SubCheck sub)
    {
        SubChecks.Add(sub);
        return sub;
    }

    public SubCheck Add(string text, ServiceState? state = null, bool detail = false) => Add(new SubCheck(text, state, detail));

    public void Hint(string hint)
    {
        if (!Hints.Contains(hint)) Hints.Add(hint);
    }

    /// <summary>An UNKNOWN result carrying one line of explanation.</summary>
    public static CheckResult Unknown(string reason) => new(reason) { StateOverride = ServiceState.Unknown };
}
