using System.Runtime.InteropServices;

namespace DuplicityChecks.TestSupport;

/// <summary>
/// A temporary tree for the state-directory trap tests: a state directory owned by an unprivileged user (nagios,
/// else nobody) as the package lays it out, and a root-only folder beside it with the files a planted link aims at.
/// </summary>
public sealed class TrapTree : IDisposable
{
    public TrapTree()
    {
        Root = Directory.CreateTempSubdirectory("statedir-trap-").FullName;
        File.SetUnixFileMode(Root, (UnixFileMode)0x1ED); // 0755: the unprivileged user can reach its state directory
        Victims = Path.Combine(Root, "root-only");
        Directory.CreateDirectory(Victims);
        File.SetUnixFileMode(Victims, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Secret = Path.Combine(Victims, "secret");
        File.WriteAllText(Secret, "root:$6$hash:19000:0:99999:7:::\n");
        File.SetUnixFileMode(Secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Absent = Path.Combine(Victims, "created-through-a-link");
        State = Path.Combine(Root, "state");
        Directory.CreateDirectory(State);
    }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>nagios (as the package runs the checks), else nobody.</summary>
    public static (int Uid, int Gid) Unprivileged { get; } = FindUser("nagios") ?? FindUser("nobody") ?? (65534, 65534);

    public string Root { get; }

    /// <summary>The state directory (owned by root until <see cref="GiveStateToUnprivileged"/>).</summary>
    public string State { get; }

    public string Victims { get; }

    /// <summary>A root-only file that must stay as it is.</summary>
    public string Secret { get; }

    /// <summary>A root-only path that must not come to exist.</summary>
    public string Absent { get; }

    public string SecretContent => File.ReadAllText(Secret);

    public void GiveStateToUnprivileged() => Chown(State);

    /// <summary>Gives <paramref name="path"/> (a link itself, not its target) to the unprivileged user.</summary>
    public static void Chown(string path)
    {
        if (TestNativeMethods.Lchown(path, Unprivileged.Uid, Unprivileged.Gid) != 0) throw new IOException($"lchown {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>A symbolic link in the state directory, planted by its owner.</summary>
    public string Plant(string name, string target)
    {
        var link = Path.Combine(State, name);
        File.CreateSymbolicLink(link, target);
        if (Owner(State) == Unprivileged.Uid) Chown(link);
        return link;
    }

    public static int Owner(string path) => TestNativeMethods.OwnerOf(path);

    /// <summary>Every entry of the state directory with its owner, links not followed.</summary>
    public IReadOnlyList<string> Entries() =>
        [.. Directory.EnumerateFileSystemEntries(State).Select(p => $"{Path.GetFileName(p)}:{Owner(p)}").Order(StringComparer.Ordinal)];

    public static void MakeFifo(string path)
    {
        if (TestNativeMethods.Mkfifo(path, 0x1A4) != 0) throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>A character device like /dev/zero (1, 5).</summary>
    public static void MakeZeroDevice(string path)
    {
        if (TestNativeMethods.Mknod(path, 0x2000 | 0x1A4, (1UL << 8) | 5) != 0) throw new IOException($"mknod {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static (int, int)? FindUser(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length > 3 && f[0] == name) return (int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture));
        }
        return null;
    }
}
