using System.Globalization;
using System.Text.Json;

namespace DuplicityChecks.TestSupport;

/// <summary>
/// A user that only NSS knows, as an LDAP or SSSD user is: a systemd userdb drop-in record in /run/userdb (read by
/// nss-systemd, which Debian's /etc/nsswitch.conf lists for passwd; packaging/install-deps.sh test installs
/// libnss-systemd), with a fresh name and a uid that neither /etc/passwd nor any NSS source holds. Needs root (the
/// tests and CI run as root); removed on Dispose.
/// </summary>
public sealed class NameServiceOnlyUser : IDisposable
{
    private const string Folder = "/run/userdb";
    private readonly bool _createdFolder;

    /// <param name="realNameLength">A long real name (GECOS) makes the entry larger than glibc's first 1 KiB buffer.</param>
    public NameServiceOnlyUser(int realNameLength = 8)
    {
        if (Environment.UserName != "root") throw new InvalidOperationException("a userdb record in /run/userdb needs root");
        var nsswitch = File.ReadAllLines("/etc/nsswitch.conf").FirstOrDefault(l => l.StartsWith("passwd:", StringComparison.Ordinal)) ?? "";
        if (!nsswitch.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("systemd"))
            throw new InvalidOperationException($"/etc/nsswitch.conf does not list systemd for passwd ('{nsswitch}'): install libnss-systemd");
        Name = "dc-nss-" + Guid.NewGuid().ToString("N")[..8];
        Uid = FreeUid();
        _createdFolder = !Directory.Exists(Folder);
        Directory.CreateDirectory(Folder);
        var record = new Dictionary<string, object>
        {
            ["userName"] = Name,
            ["uid"] = Uid,
            ["gid"] = Uid,
            ["realName"] = new string('r', realNameLength),
            ["homeDirectory"] = Home,
            ["shell"] = "/usr/sbin/nologin",
            ["disposition"] = "regular",
        };
        File.WriteAllText(RecordPath, JsonSerializer.Serialize(record));
        File.CreateSymbolicLink(UidLinkPath, Name + ".user");
        var getent = ProcessRun.Run("/usr/bin/getent", ["passwd", Name]);
        if (getent.ExitCode != 0) throw new InvalidOperationException($"getent passwd {Name} does not find the userdb record: {getent.ExitCode}");
    }

    public string Name { get; }

    public int Uid { get; }

    public string UidText => Uid.ToString(CultureInfo.InvariantCulture);

    public string Home => "/nonexistent/" + Name;

    private string RecordPath => Path.Combine(Folder, Name + ".user");

    private string UidLinkPath => Path.Combine(Folder, UidText + ".user");

    /// <summary>Whether /etc/passwd names this user (it must not: the point is a user only NSS knows).</summary>
    public bool InEtcPasswd => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(Name + ":", StringComparison.Ordinal)
        || l.Split(':') is { Length: > 2 } f && f[2] == UidText);

    private static int FreeUid()
    {
        for (var i = 0; i < 100; i++)
        {
            // Regular users' range, below systemd's dynamic users (61184-65519).
            var uid = Random.Shared.Next(40000, 60000);
            if (ProcessRun.Run("/usr/bin/getent", ["passwd", uid.ToString(CultureInfo.InvariantCulture)]).ExitCode == 2) return uid;
        }
        throw new InvalidOperationException("no free uid found");
    }

    public void Dispose()
    {
        File.Delete(UidLinkPath);
        File.Delete(RecordPath);
        try
        {
            if (_createdFolder && !Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder);
        }
        catch (IOException)
        {
            // another test's record appeared meanwhile: its Dispose removes the folder
        }
    }
}
