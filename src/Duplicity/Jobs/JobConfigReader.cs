using DuplicityChecks.Plugin;
using Microsoft.Extensions.Configuration;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// Reads <c>[job:NAME]</c> sections from the INI job file with Microsoft.Extensions.Configuration.Ini
/// (acquisition). The file decides what the checks read, write, match and run (log, log_state_file, log_critical,
/// duplicity, sudo_user, ...), so it is used only when nobody but root or the user running the check can have
/// written it: <see cref="TrustedFileOpener"/> opens it and checks it and every folder on its path; otherwise
/// nothing of it is used (UNKNOWN, naming the path and what is wrong). A malformed file is UNKNOWN with the reason.
/// </summary>
public static class JobConfigReader
{
    /// <summary>A job file is a few hundred bytes; the bound keeps a file that is not one from filling memory.</summary>
    private const int MaxBytes = (int)ReadLimits.JobFileBytes;

    public const string DefaultPath = "/etc/duplicity-checks.ini";

    /// <param name="secrets">Learns the secrets the job's values hold (a destination's URL password, a key that
    /// names a password), so that the output masks them wherever they are repeated.</param>
    public static JobConfig Load(string path, string job, SecretMasker? secrets = null)
    {
        // The INI provider resolved relative paths against the executable's folder; users mean the working dir.
        path = Path.GetFullPath(path);
        var content = ReadTrusted(path);
        IConfigurationRoot root;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            root = new ConfigurationBuilder().AddIniStream(stream).Build();
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidDataException)
        {
            throw new CheckException($"config {path} is not a valid INI file: {IniProblem(e)}");
        }

        var section = root.GetSection("job").GetSection(job);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
            if (child.Value is { } v) values[child.Key] = StripInlineComment(v);
        if (secrets is not null)
            foreach (var (key, value) in values)
            {
                secrets.Learn(value);
                secrets.Learn($"{key}={value}");
            }
        if (values.Count == 0)
        {
            var known = root.GetSection("job").GetChildren().Select(c => c.Key).ToList();
            throw new CheckException(known.Count == 0
                ? $"config {path} has no [job:NAME] sections"
                : $"job '{job}' not found in {path} (jobs: {string.Join(", ", known)})");
        }
        return new JobConfig(job, path, values);
    }

    /// <summary>The whole file, read through the one descriptor whose owner and mode were checked.</summary>
    private static byte[] ReadTrusted(string path)
    {
        using var handle = TrustedFileOpener.Open(path);
        var buffer = new byte[4096];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > MaxBytes) throw new CheckException($"config {path} exceeds the {ReadLimits.Format(MaxBytes)} read limit");
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxBytes + 1));
                }
                var n = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                if (n == 0) break;
                length += n;
            }
        }
        catch (IOException)
        {
            throw new CheckException($"cannot read config {path}: I/O error");
        }
        return buffer.AsSpan(0, length).ToArray();
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

    private static string IniProblem(Exception e)
        => e is FormatException && (e.Message.StartsWith("Unrecognized line format", StringComparison.Ordinal) || e.Message.Contains("UnrecognizedLineFormat", StringComparison.Ordinal))
            ? "a line is neither [section], key = value nor a comment"
            : FirstLine(e.Message);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
