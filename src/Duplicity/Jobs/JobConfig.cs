namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// One <c>[job:NAME]</c> section of the INI job file (design.md "Job configuration"). Values are raw text;
/// each check validates the ones it uses, and its option declarations name the keys. Command-line options override them.
/// </summary>
public sealed class JobConfig(string name, string path, IReadOnlyDictionary<string, string> values)
{
    public string Name { get; } = name;

    /// <summary>The INI file the job came from.</summary>
    public string Path { get; } = path;

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    /// <summary>The value of a key, or null when absent or empty.</summary>
    public string? Get(string key) => Values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
}
