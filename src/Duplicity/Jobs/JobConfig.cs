namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// One <c>[job:NAME]</c> section of the INI job file (design.md "Job configuration"). Values are raw text;
/// each check validates the ones it uses. Command-line options override them.
/// </summary>
public sealed class JobConfig(string name, string path, IReadOnlyDictionary<string, string> values)
{
    public string Name { get; } = name;

    /// <summary>The INI file the job came from.</summary>
    public string Path { get; } = path;

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    /// <summary>The value of a key, or null when absent or empty.</summary>
    public string? Get(string key) => Values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    public string? Destination => Get("destination");

    public string? ArchiveDir => Get("archive_dir");

    /// <summary>duplicity's --name, if the job uses one.</summary>
    public string? BackupName => Get("name");

    /// <summary>Who runs the backup: used in hints (sudo -iu USER ...) and for --sudo-user.</summary>
    public string? User => Get("user");

    public string? Script => Get("script");

    public string? Log => Get("log");
}
