namespace DuplicityChecks.Plugin;

/// <summary>
/// One node of the result tree (evaluation phase): its state is explicit, or else the worst of its
/// children, or else OK. Rendered as a <c>\_ [STATE] text</c> line, children indented two spaces per level.
/// </summary>
public sealed class SubCheck
{
    public SubCheck(string text, ServiceState? state = null, bool detail = false)
    {
        Text = text;
        ExplicitState = state;
        IsDetail = detail;
    }

    public string Text { get; set; }

    public ServiceState? ExplicitState { get; set; }

    /// <summary>Detail lines (per chain, per process...) appear only with -v, unless their state is not OK.</summary>
    public bool IsDetail { get; }

    public List<SubCheck> Children { get; } = [];

    public ServiceState State => ExplicitState ?? (Children.Count > 0 ? ServiceStates.Worst(Children.Select(c => c.State)) : ServiceState.Ok);

    public SubCheck Add(SubCheck child)
    {
        Children.Add(child);
        return child;
    }

    public SubCheck Add(string text, ServiceState? state = null, bool detail = false) => Add(new SubCheck(text, state, detail));
}
