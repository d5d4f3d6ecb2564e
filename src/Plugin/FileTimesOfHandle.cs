using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Size, modification and status-change time of an open file, from one fstat: a log tail compares them with the
/// previous check's to notice a log rewritten in place (same inode, same size, changed since). .NET exposes no
/// ctime, and separate calls for size and times could see a write land between them.
/// </summary>
public readonly record struct FileTimesOfHandle(long Size, long ModifiedNs, long ChangedNs, bool IsDirectory = false)
{
    public DateTime ModifiedUtc => DateTime.UnixEpoch.AddTicks(ModifiedNs / 100);

    public static FileTimesOfHandle Of(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (fstat((int)handle.DangerousGetHandle(), out var st) != 0)
                throw new IOException($"fstat failed (errno {Marshal.GetLastPInvokeError()})");
            var mode = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? st.ModeX64 : st.ModeGeneric;
            return new FileTimesOfHandle(st.Size, st.MtimeSec * 1_000_000_000 + st.MtimeNsec, st.CtimeSec * 1_000_000_000 + st.CtimeNsec,
                (mode & FileTypeMask) == DirectoryType);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private const uint FileTypeMask = 0xF000; // S_IFMT
    private const uint DirectoryType = 0x4000; // S_IFDIR

    // glibc struct stat: st_size at 48, st_mtim at 88, st_ctim at 104 on both x86_64 and aarch64 (the fields
    // before them differ in order, not in total size); st_mode at 24 on x86_64 (after st_nlink), at 16 on aarch64.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatBuffer
    {
        [FieldOffset(16)] public uint ModeGeneric;
        [FieldOffset(24)] public uint ModeX64;
        [FieldOffset(48)] public long Size;
        [FieldOffset(88)] public long MtimeSec;
        [FieldOffset(96)] public long MtimeNsec;
        [FieldOffset(104)] public long CtimeSec;
        [FieldOffset(112)] public long CtimeNsec;
    }

    [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static extern int fstat(int fd, out StatBuffer buffer);
}
