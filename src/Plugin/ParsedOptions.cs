namespace DuplicityChecks.Plugin;

/// <summary>The options given on the command line, by long name.</summary>
public sealed class ParsedOptions
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _flags = new(StringComparer.Ordinal);

    internal void AddValue(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    internal void AddFlag(string name) => _flags[name] = _flags.GetValueOrDefault(name) + 1;

    /// <summary>The last value given for the option, or null.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var l) && l.Count > 0 ? l[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var l) ? l : [];

    public bool Has(string name) => _values.ContainsKey(name) || _flags.ContainsKey(name);

    public int Count(string name) => _flags.GetValueOrDefault(name);
}
