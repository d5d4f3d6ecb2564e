using DuplicityChecks.Plugin;
using Microsoft.Extensions.Configuration;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// Reads <c>[job:NAME]</c> sections from the INI job file with Microsoft.Extensions.Configuration.Ini
/// (acquisition). The file is untrusted input: a malformed file is UNKNOWN with the reason, and keys that make
/// the check run programs (<c>duplicity</c>, <c>sudo_user</c>) are refused when others can write the file or its
/// folder, or when either belongs to someone other than root or the user running the check.
/// </summary>
public static class JobConfigReader
{
    public const string DefaultPath = "/etc/duplicity-checks.ini";

    /// <summary>Keys whose values decide which program runs, or as whom.</summary>
    private static readonly string[] ProgramKeys = ["duplicity", "sudo_user"];

    public static JobConfig Load(string path, string job)
    {
        // The INI provider resolves relative paths against the executable's folder; users mean the working dir.
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new CheckException(Directory.Exists(path) ? $"config {path} is a directory" : $"config file {path} not found");
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddIniStream(ReadBounded(path)).Build();
        }
        catch (UnauthorizedAccessException)
        {
            throw new CheckException($"cannot read config {path}: permission denied");
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidDataException)
        {
            throw new CheckException($"config {path} is not a valid INI file: {IniProblem(e)}");
        }

        var section = root.GetSection("job").GetSection(job);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
            if (child.Value is { } v) values[child.Key] = StripInlineComment(v);
        if (values.Count == 0)
        {
            var known = root.GetSection("job").GetChildren().Select(c => c.Key).ToList();
            throw new CheckException(known.Count == 0
                ? $"config {path} has no [job:NAME] sections"
                : $"job '{job}' not found in {path} (jobs: {string.Join(", ", known)})");
        }

        if (ProgramKeys.Any(k => values.ContainsKey(k)))
        {
            var keys = string.Join("/", ProgramKeys.Where(values.ContainsKey));
            if (IsWritableByOthers(path))
                throw new CheckException($"config {path} is writable by group or others and sets {keys}: refusing to run programs from it (chmod go-w {path})");
            // Whoever may write the folder may replace the file (rename over it), whatever the file's own mode.
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (IsWritableByOthers(folder))
                throw new CheckException($"config {path} sets {keys} but its folder {folder} is writable by group or others: refusing to run programs from it (chmod go-w {folder})");
            // The owner may change the mode and the content: only root or the user running the check may own them.
            RequireTrustedOwner(path, path, keys);
            RequireTrustedOwner(path, folder, keys);
        }

        return new JobConfig(job, path, values);
    }

    /// <summary>The file's bytes, at most <see cref="ReadLimits.JobFileBytes"/> (the INI provider reads any length, /dev/zero too).</summary>
    private static MemoryStream ReadBounded(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var limited = new LimitedReadStream(file, ReadLimits.JobFileBytes, () => $"config {path} exceeds the {ReadLimits.Format(ReadLimits.JobFileBytes)} read limit");
        var bytes = new MemoryStream();
        limited.CopyTo(bytes);
        bytes.Position = 0;
        return bytes;
    }

    /// <summary>
    /// The INI provider keeps "value ; comment" whole; the design's example file uses trailing comments, so
    /// a ';' or '#' preceded by whitespace starts a comment. A value that is only a comment is empty.
    /// </summary>
    internal static string StripInlineComment(string value)
    {
        var v = value.Trim();
        if (v.StartsWith(';') || v.StartsWith('#')) return "";
        for (var i = 1; i < v.Length; i++)
            if ((v[i] == ';' || v[i] == '#') && char.IsWhiteSpace(v[i - 1]))
                return v[..i].TrimEnd();
        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"') v = v[1..^1];
        return v;
    }

    /// <param name="config">The job file.</param>
    /// <param name="target">The job file or its folder.</param>
    private static void RequireTrustedOwner(string config, string target, string keys)
    {
        var which = target == config ? "" : $"its folder {target} ";
        var owner = FileOwner.Of(target) ?? throw new CheckException(
            $"config {config} sets {keys} but the owner of {target} cannot be read: refusing to run programs from it");
        var self = FileOwner.Effective;
        if (owner == 0 || owner == self) return;
        throw new CheckException($"config {config} sets {keys} but {which}is owned by uid {owner}, neither root nor the user running "
            + $"the check (uid {self}): refusing to run programs from it (chown root {target})");
    }

    private static bool IsWritableByOthers(string path)
    {
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
    }

    /// <summary>
    /// The provider's "Unrecognized line format" quotes the line, which may hold a secret; the other messages name a
    /// key or the file. (Native AOT may give the resource key instead of the text.)
    /// </summary>
    private static string IniProblem(Exception e)
        => e is FormatException && (e.Message.StartsWith("Unrecognized line format", StringComparison.Ordinal) || e.Message.Contains("UnrecognizedLineFormat", StringComparison.Ordinal))
            ? "a line is neither [section], key = value nor a comment"
            : FirstLine(e.Message);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
