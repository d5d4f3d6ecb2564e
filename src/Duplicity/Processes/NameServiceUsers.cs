using System.Runtime.InteropServices;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// The system's user database through glibc's NSS (<c>getpwnam_r</c>, <c>getpwuid_r</c>): /etc/passwd and whatever
/// /etc/nsswitch.conf adds (LDAP, SSSD, systemd's userdb), as <c>getent passwd</c> sees it. Only the name, uid and
/// home are read, never the password field. The entry's strings live in a caller's buffer, grown on ERANGE up to
/// <see cref="MaxEntryBytes"/>.
/// </summary>
internal static unsafe partial class NameServiceUsers
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
    public static UserEntry? ByName(string name, out string? error)
    {
        error = null;
        // A NUL would end the C string early: "root\0x" must not be root.
        if (name.Length == 0 || name.Contains('\0')) return null;
        return Lookup((pwd, buffer, length, result) => getpwnam_r(name, pwd, buffer, length, result), out error);
    }

    /// <summary>The entry of <paramref name="uid"/>; as <see cref="ByName"/>.</summary>
    public static UserEntry? ByUid(int uid, out string? error)
    {
        error = null;
        if (uid < 0) return null;
        return Lookup((pwd, buffer, length, result) => getpwuid_r((uint)uid, pwd, buffer, length, result), out error);
    }

    private delegate int LookupCall(Passwd* pwd, byte* buffer, nuint length, Passwd** result);

    private static UserEntry? Lookup(LookupCall call, out string? error)
    {
        error = null;
        for (var size = FirstBufferBytes; ; size *= 2)
        {
            var buffer = new byte[size];
            int status;
            Passwd entry;
            Passwd* result;
            fixed (byte* b = buffer)
            {
                do status = call(&entry, b, (nuint)buffer.Length, &result);
                while (status == Interrupted);
                if (status == 0 && result is not null)
                {
                    // The pointers point into the pinned buffer: copied out before it is released.
                    var name = Marshal.PtrToStringUTF8(entry.Name);
                    if (string.IsNullOrEmpty(name)) return null;
                    return new UserEntry(name, unchecked((int)entry.Uid), Marshal.PtrToStringUTF8(entry.Dir) ?? "");
                }
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

    // struct passwd (pwd.h): the same field order on every Linux architecture; uid_t and gid_t are 32-bit.
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Dir;
        public nint Shell;
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int getpwnam_r(string name, Passwd* pwd, byte* buffer, nuint length, Passwd** result);

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int getpwuid_r(uint uid, Passwd* pwd, byte* buffer, nuint length, Passwd** result);
}
