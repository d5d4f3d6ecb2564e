using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// The system's user database (NSS, <see cref="UserDatabase"/>: /etc/passwd and whatever /etc/nsswitch.conf adds)
/// as the process table's <see cref="UserEntry"/>.
/// </summary>
internal static class NameServiceUsers
{
    /// <summary>The entry of <paramref name="name"/>, null when there is none; <paramref name="error"/> when the lookup failed.</summary>
    public static UserEntry? ByName(string name, out string? error) => Entry(UserDatabase.ByName(name, out error));

    /// <summary>The entry of <paramref name="uid"/>; as <see cref="ByName"/>.</summary>
    public static UserEntry? ByUid(int uid, out string? error) => Entry(UserDatabase.ByUid(uid, out error));

    private static UserEntry? Entry(PasswdEntry? entry) => entry is { } e ? new UserEntry(e.Name, e.Uid, e.Home) : null;
}
