using System.Text.RegularExpressions;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// Which duplicity processes count (the check's -d, -A, -N, -u and -m). Every given criterion must hold; an
/// empty filter takes every duplicity. Destinations compare without their password and trailing slash.
/// </summary>
public sealed partial record ProcessFilter(string? Destination = null, string? ArchiveDir = null, string? Name = null, string? User = null, Regex? Match = null)
{
    public static readonly ProcessFilter All = new();

    /// <summary>
    /// The uid that <see cref="User"/> names, resolved through the user database (UserDirectory) for the /proc table: processes are then
    /// compared by uid, so a second name for a uid matches its processes too. Null: compared as given.
    /// </summary>
    public int? UserId { get; init; }

    public bool IsEmpty => Destination is null && ArchiveDir is null && Name is null && User is null && Match is null;

    /// <summary>The lockfile this filter designates: archive dir plus name (or md5 of the destination as given).</summary>
    public string? LockFile
    {
        get
        {
            if (ArchiveDir is null) return null;
            var name = Name ?? (Destination is null ? null : DuplicityArguments.Parse(["duplicity", "collection-status", Destination]).BackupName);
            return name is null ? null : Path.Combine(ArchiveDir, name, "lockfile");
        }
    }

    /// <summary>The -m pattern, on the command line as ps shows it (argv joined with blanks), like pgrep -f.</summary>
    public bool MatchesCommandLine(IReadOnlyList<string> argv)
    {
        if (Match is null) return true;
        try
        {
            return Match.IsMatch(string.Join(' ', argv));
        }
        catch (RegexMatchTimeoutException)
        {
            throw new CheckException($"--match: the pattern took too long on the command line of a process (over {Match.MatchTimeout.TotalMilliseconds} ms)");
        }
    }

    public bool Matches(DuplicityProcess p)
    {
        if (Destination is not null && (p.Arguments.Target is not { } target || !SameDestination(target, Destination))) return false;
        if (ArchiveDir is not null && (p.ArchiveDir is null || !SamePath(p.ArchiveDir, ArchiveDir))) return false;
        if (Name is not null && p.Arguments.BackupName != Name) return false;
        if (User is not null && !SameUser(p.Process, User)) return false;
        return true;
    }

    public static bool SameDestination(string a, string b) => Canonical(a) == Canonical(b);

    private static string Canonical(string url) => UserInfoPassword().Replace(url.Trim(), "$1@").TrimEnd('/');

    // scheme://user:password@ -> scheme://user@ (the password may contain '@': up to the last '@' before a '/').
    [GeneratedRegex(@"^([\w+]+://[^\s:/@]*):[^\s/]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPassword();

    private static bool SamePath(string a, string b) => Path.TrimEndingDirectorySeparator(a) == Path.TrimEndingDirectorySeparator(b);

    private bool SameUser(ProcessEntry p, string user)
    {
        if (UserId is { } id && p.Uid is { } uid) return uid == id;
        if (p.User is null && p.Uid is null)
            throw new CheckException($"cannot tell the user of PID {p.Pid} to compare it with --user {user}");
        if (p.User == user || p.Uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) == user) return true;
        // ps cuts names longer than 8 characters to 7 and a '+'.
        return p.User is { Length: 8 } cut && cut[7] == '+' && user.Length > 8 && user.StartsWith(cut[..7], StringComparison.Ordinal);
    }

    /// <summary>Human description for summaries: "destination X, user Y".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Destination is not null) parts.Add(SecretMasker.MaskInPlace(Destination));
        if (ArchiveDir is not null) parts.Add($"archive dir {ArchiveDir}");
        if (Name is not null) parts.Add($"name {Name}");
        if (User is not null) parts.Add($"user {User}");
        if (Match is not null) parts.Add($"matching /{Match}/");
        return string.Join(", ", parts);
    }
}
