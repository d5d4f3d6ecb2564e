using System.Runtime.InteropServices;
using static DuplicityChecks.Plugin.NativeMethods;

namespace DuplicityChecks.Plugin;

/// <summary>A user's entry as the user database gives it: never its password field.</summary>
public readonly record struct PasswdEntry(string Name, int Uid, string Home);

/// <summary>
/// The system's user database through glibc's NSS (<c>getpwnam_r</c>, <c>getpwuid_r</c>): /etc/passwd and whatever
/// /etc/nsswitch.conf adds (LDAP, SSSD, systemd's userdb), as <c>getent passwd</c> sees it. Only the name, uid and
/// home are read. The entry's strings live in a buffer of native memory (they are pointers into it until copied),
/// grown on ERANGE up to <see cref="MaxEntryBytes"/>.
/// </summary>
public static class UserDatabase
{
    /// <summary>Far more than any real entry (glibc starts at 1 KiB); an entry larger is a failed lookup.</summary>
    public const int MaxEntryBytes = 1024 * 1024;

    private const int FirstBufferBytes = 1024;
    private const int Interrupted = 4;  // EINTR
    private const int OutOfRange = 34;  // ERANGE: the buffer is too small for the entry

    // getpwnam_r(3): "not found" is 0 with no result, or one of ENOENT, ESRCH, EBADF, EPERM (by module).
    private static readonly int[] NotFound = [0, 2, 3, 9, 1];

    /// <summary>
    /// The entry of <paramref name="name"/>: null when the database holds none. <paramref name="error"/> is set (and
    /// null returned) when the lookup itself failed (a directory service that does not answer, an entry larger than
    /// the bound), so that a caller can tell "no such user" from "could not ask".
    /// </summary>
    public static PasswdEntry? ByName(string name, out string? error)
    {
        error = null;
        // A NUL would end the C string early: "root\0x" must not be root.
        if (name.Length == 0 || name.Contains('\0')) return null;
        var native = DirectoryCalls.Native(name);
        return Lookup((out Passwd pwd, nint buffer, nuint length, out nint result) => getpwnam_r(in native[0], out pwd, buffer, length, out result), out error);
    }

    /// <summary>The entry of <paramref name="uid"/>; as <see cref="ByName"/>.</summary>
    public static PasswdEntry? ByUid(int uid, out string? error)
    {
        error = null;
        if (uid < 0) return null;
        return Lookup((out Passwd pwd, nint buffer, nuint length, out nint result) => getpwuid_r((uint)uid, out pwd, buffer, length, out result), out error);
    }

    private delegate int LookupCall(out Passwd pwd, nint buffer, nuint length, out nint result);

    private static PasswdEntry? Lookup(LookupCall call, out string? error)
    {
        error = null;
        for (var size = FirstBufferBytes; ; size *= 2)
        {
            int status;
            var buffer = Marshal.AllocHGlobal(size);
            try
            {
                Passwd entry;
                nint result;
                do status = call(out entry, buffer, (nuint)size, out result);
                while (status == Interrupted);
                if (status == 0 && result != 0)
                {
                    // The pointers point into the buffer: copied out before it is freed.
                    var name = Marshal.PtrToStringUTF8(entry.Name);
                    if (string.IsNullOrEmpty(name)) return null;
                    return new PasswdEntry(name, unchecked((int)entry.Uid), Marshal.PtrToStringUTF8(entry.Dir) ?? "");
                }
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
            if (status == OutOfRange)
            {
                if (size >= MaxEntryBytes)
                {
                    error = $"the entry is larger than {MaxEntryBytes / 1024 / 1024} MiB";
                    return null;
                }
                continue;
            }
            if (NotFound.Contains(status)) return null;
            error = Marshal.GetPInvokeErrorMessage(status) is { Length: > 0 } m ? m : $"error {status}";
            return null;
        }
    }
}
