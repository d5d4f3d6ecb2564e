using System.Globalization;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// User names and home directories by uid, and uids by name. By default the system's user database through NSS
/// (<see cref="NameServiceUsers"/>), so that LDAP, SSSD and systemd users resolve as <c>getent passwd</c> resolves
/// them. A static build (<see cref="StaticBuild"/>) and the tests read a passwd-format file instead. Every answer is
/// asked for once (only when a matching process needs its user) and kept. Unknown uids stay numbers.
/// </summary>
public sealed class UserDirectory
{
    /// <summary>
    /// The AppContext switch that checks/Directory.Build.props sets in a static build (-p:StaticExecutable=true).
    /// A static glibc's NSS would dlopen the host's NSS modules (libnss_systemd, libnss_sss), built against
    /// another glibc than the one inside the executable: such a build reads /etc/passwd and nothing else.
    /// </summary>
    public const string StaticBuildSwitch = "DuplicityChecks.StaticExecutable";

    private const string SystemPasswd = "/etc/passwd";

    private readonly string? _passwdPath;
    private Dictionary<int, (string Name, string Home)>? _fileUsers;
    private Dictionary<string, int>? _fileUids;
    private readonly Dictionary<int, UserEntry?> _byUid = [];
    private readonly Dictionary<string, (UserEntry? Entry, string? Error)> _byName = new(StringComparer.Ordinal);

    /// <summary>The system's user database: NSS, or /etc/passwd in a static build.</summary>
    public UserDirectory()
    {
        if (!StaticBuild)
        {
            Source = "the user database (NSS)";
            return;
        }
        _passwdPath = SystemPasswd;
        Source = $"{SystemPasswd} (a static build reads no other user database: give a directory service's user by uid)";
    }

    /// <summary>The users of a passwd-format file only (name:password:uid:gid:gecos:home:shell).</summary>
    public UserDirectory(string passwdPath) => Source = _passwdPath = passwdPath;

    /// <summary>Whether this executable was built static (see <see cref="StaticBuildSwitch"/>).</summary>
    public static bool StaticBuild => AppContext.TryGetSwitch(StaticBuildSwitch, out var on) && on;

    /// <summary>Where names come from, for messages ("no such user in SOURCE").</summary>
    public string Source { get; }

    public string? NameOf(int uid) => EntryOf(uid)?.Name;

    public string? HomeOf(int uid) => EntryOf(uid)?.Home;

    /// <summary>
    /// The uid of the user with this name, or null when the database does not hold it. A second name for a uid is
    /// a user too (whose processes <see cref="NameOf"/> shows under the first).
    /// </summary>
    /// <exception cref="CheckException">The database could not be asked (a directory service down, an oversized
    /// entry): not "no such user", which would make a --user filter match nothing, a false "no duplicity process".</exception>
    public int? UidOf(string name)
    {
        if (_passwdPath is not null)
        {
            FileUsers();
            return _fileUids!.TryGetValue(name, out var uid) ? uid : null;
        }
        if (!_byName.TryGetValue(name, out var answer))
            _byName[name] = answer = (NameServiceUsers.ByName(name, out var error), error);
        if (answer.Error is { } e) throw new CheckException($"cannot look up user {name}: {e}");
        return answer.Entry?.Uid;
    }

    private UserEntry? EntryOf(int uid)
    {
        if (_passwdPath is not null)
            return FileUsers().TryGetValue(uid, out var u) ? new UserEntry(u.Name, uid, u.Home) : null;
        if (!_byUid.TryGetValue(uid, out var entry))
            // A failed lookup shows the uid as a number, as an unknown one: nothing is decided on a name.
            _byUid[uid] = entry = NameServiceUsers.ByUid(uid, out _);
        return entry;
    }

    private Dictionary<int, (string Name, string Home)> FileUsers()
    {
        if (_fileUsers is not null) return _fileUsers;
        var users = new Dictionary<int, (string, string)>();
        var uids = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(_passwdPath!))
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
        _fileUids = uids;
        return _fileUsers = users;
    }
}
