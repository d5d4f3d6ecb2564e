namespace DuplicityChecks.TestSupport;

/// <summary>
/// A folder (0755) on a path where every folder belongs to root or the user running the tests and is writable by
/// nobody else, as the checks require of a job file's folders: artifacts/tmp in the checkout, else (as root)
/// /run/duplicity-checks-tests. nobody can traverse it, so checks run through setpriv can read files below it.
/// </summary>
public static class TrustedFolder
{
    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly Lazy<string> PathLazy = new(() =>
    {
        string[] candidates = [System.IO.Path.Combine(RepoPaths.Root, "artifacts", "tmp"), "/run/duplicity-checks-tests"];
        var refused = new List<string>();
        foreach (var candidate in candidates)
        {
            try
            {
                Directory.CreateDirectory(candidate);
                File.SetUnixFileMode(candidate, Mode0755);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                refused.Add($"{candidate}: {e.Message}");
                continue;
            }
            if (Untrusted(candidate) is not { } why) return candidate;
            refused.Add(why);
        }
        throw new InvalidOperationException("no folder the checks would trust for job files: " + string.Join("; ", refused));
    });

    public static string Path => PathLazy.Value;

    /// <summary>Why the checks would not trust <paramref name="folder"/> or a folder above it, or null.</summary>
    private static string? Untrusted(string folder)
    {
        var self = ProcessRun.Run("/usr/bin/id", ["-u"]).Stdout.Trim();
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            if (dir.LinkTarget is not null) return $"{dir.FullName} is a link";
            if ((dir.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0) return $"{dir.FullName} is writable by group or others";
            var owner = ProcessRun.Run("/usr/bin/stat", ["-c", "%u", dir.FullName]).Stdout.Trim();
            if (owner != "0" && owner != self) return $"{dir.FullName} is owned by uid {owner}";
        }
        return null;
    }
}
