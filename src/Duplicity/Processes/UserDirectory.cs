using System.Globalization;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// User names and home directories by uid, from a passwd-format file (default <c>/etc/passwd</c>; a seam for
/// tests). Read once, lazily, and only when a matching process needs its user. Unknown uids stay numbers.
/// </summary>
public sealed class UserDirectory(string passwdPath = "/etc/passwd")
{
    private Dictionary<int, (string Name, string Home)>? _users;
    private Dictionary<string, int>? _uids;

    public string? NameOf(int uid) => Users().TryGetValue(uid, out var u) ? u.Name : null;

    public string? HomeOf(int uid) => Users().TryGetValue(uid, out var u) ? u.Home : null;

    /// <summary>
    /// The uid of the user with this name, or null when the file does not name it (or could not be read). Every
    /// line counts, also a second name for a uid (whose processes <see cref="NameOf"/> shows under the first).
    /// </summary>
    public int? UidOf(string name)
    {
        Users();
        return _uids!.TryGetValue(name, out var uid) ? uid : null;
    }

    private Dictionary<int, (string Name, string Home)> Users()
    {
        if (_users is not null) return _users;
        var users = new Dictionary<int, (string, string)>();
        var uids = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(passwdPath))
            {
                // name:password:uid:gid:gecos:home:shell
                var parts = line.Split(':');
                if (parts.Length < 7 || parts[0].Length == 0) continue;
                if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)) continue;
                users.TryAdd(uid, (parts[0], parts[5]));
                uids.TryAdd(parts[0], uid);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the file users are shown by uid; nothing is decided on a name we could not read.
        }
        _uids = uids;
        return _users = users;
    }
}
