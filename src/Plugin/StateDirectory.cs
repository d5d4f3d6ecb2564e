using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static DuplicityChecks.Plugin.DirectoryCalls;

namespace DuplicityChecks.Plugin;

/// <summary>
/// An open state directory: every file in it is opened relative to this handle (openat) and never through a
/// symbolic link, so a name that someone swaps for a link after the directory was checked still cannot lead
/// anywhere else.
/// <list type="bullet">
/// <item>A check writes only into a directory that its effective user owns (<see cref="Writable"/>): root
/// running by hand on the monitoring user's directory reads the files of root or of the directory's owner, and
/// creates, replaces and locks nothing there, so it can neither be led to write through a planted link nor
/// leave a root-owned file that breaks the owner's next run.</item>
/// <item>New content goes to a temporary file with an unpredictable name, created exclusively (O_EXCL), then
/// renamed over the old name (renameat replaces a planted link, it does not follow it).</item>
/// <item>A file is read only when it is a regular file of root, of this user or of the directory's owner, and at
/// most a given number of bytes of it (a link to /dev/zero is refused as a link; a FIFO does not block).</item>
/// </list>
/// </summary>
public sealed class StateDirectory : IDisposable
{
    private const int PathOnly = 0x200000; // O_PATH: a handle to search with, no read permission needed
    private const int MaxLinks = 40;       // as the kernel's own limit (ELOOP)
    private readonly SafeFileHandle _handle;

    private StateDirectory(string path, SafeFileHandle handle, uint owner)
    {
        Path = path;
        _handle = handle;
        Owner = owner;
    }

    public string Path { get; }

    /// <summary>The directory's owner (uid), as seen on the open handle.</summary>
    public uint Owner { get; }

    /// <summary>This process's effective uid.</summary>
    public static uint User => EffectiveUser;

    /// <summary>Whether this check may write here: only into a directory its effective user owns.</summary>
    public bool Writable => Owner == User;

    /// <summary>Why nothing is written here; null when <see cref="Writable"/>.</summary>
    public string? ReadOnlyReason => Writable ? null
        : $"the state directory {Path} belongs to uid {Owner}, not to this check's user (uid {User}), so nothing is written there";

    private int Fd => (int)_handle.DangerousGetHandle();

    /// <summary>
    /// Opens the directory <paramref name="path"/>; null when it does not exist and <paramref name="create"/> is
    /// false. A missing directory is created only inside a directory of root or of this user. A symbolic link on
    /// the way is followed only when it lies in a directory that nobody but root or this user can change.
    /// Throws a <see cref="CheckException"/> with the reason when the path cannot be used.
    /// </summary>
    public static StateDirectory? Open(string path, bool create)
    {
        var full = System.IO.Path.GetFullPath(path);
        var fd = OpenAt(-1, "/", ReadOnly | PathOnly | DirectoryOnly | CloseOnExec);
        if (fd < 0) throw new CheckException($"cannot open /: {Message(LastError)}");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var pending = new LinkedList<string>(Components(full));
            var links = 0;
            var creations = 0;
            var at = "";
            while (pending.First is { } first)
            {
                var name = first.Value;
                pending.RemoveFirst();
                var next = OpenAt(fd, name, ReadOnly | PathOnly | DirectoryOnly | NoFollow | CloseOnExec);
                if (next >= 0)
                {
                    handle.Dispose();
                    handle = new SafeFileHandle(next, ownsHandle: true);
                    fd = next;
                    at = Join(at, name);
                    continue;
                }
                var error = LastError;
                var here = Join(at, name);
                if (error == NoEntry)
                {
                    if (!create) { handle.Dispose(); return null; }
                    if (++creations > 64) throw new CheckException($"cannot create state directory {here}: it keeps disappearing");
                    CreateIn(fd, at, name, here);
                    pending.AddFirst(name);
                    continue;
                }
                if (error is TooManyLinks or NotDirectory && StatusAt(fd, name) is { IsSymbolicLink: true } link)
                {
                    if (++links > MaxLinks) throw new CheckException($"cannot open the state directory {full}: too many symbolic links");
                    if (StatusOf(fd) is not { } folder || !MayFollow(folder, link))
                        throw new CheckException($"cannot use the state directory {full}: {here} is a symbolic link in a folder that users other than root and uid {User} can change (not followed)");
                    var target = ReadLinkAt(fd, name) ?? throw new CheckException($"cannot read the symbolic link {here}: {Message(LastError)}");
                    foreach (var part in Components(target).Reverse()) pending.AddFirst(part);
                    if (target.StartsWith('/'))
                    {
                        var root = OpenAt(-1, "/", ReadOnly | PathOnly | DirectoryOnly | CloseOnExec);
                        if (root < 0) throw new CheckException($"cannot open /: {Message(LastError)}");
                        handle.Dispose();
                        handle = new SafeFileHandle(root, ownsHandle: true);
                        fd = root;
                        at = "";
                    }
                    continue;
                }
                throw error == NotDirectory
                    ? new CheckException($"cannot use the state directory {full}: {here} is not a directory")
                    : new CheckException($"cannot open the state directory {full}: {here}: {Message(error)}");
            }
            var status = StatusOf(fd) ?? throw new CheckException($"cannot examine the state directory {full}: {Message(LastError)}");
            return new StateDirectory(full, handle, status.Owner);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The contents of <paramref name="name"/>, at most <paramref name="maxBytes"/> bytes (<paramref name="limitText"/>
    /// names the limit in a reason); null when there is no such file. Throws <see cref="UnusableStateFileException"/>
    /// when it is a link, not a regular file, of an untrusted owner, unreadable or larger than the limit.
    /// </summary>
    public byte[]? Read(string name, int maxBytes, string limitText)
    {
        var fd = OpenAt(Fd, name, ReadOnly | NoFollow | NonBlocking | NoControllingTty | CloseOnExec);
        if (fd < 0)
        {
            var error = LastError;
            if (error == NoEntry) return null;
            throw new UnusableStateFileException(error == TooManyLinks
                ? "is a symbolic link (files in a state directory are opened without following links)"
                : $"cannot be opened: {Message(error)}");
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = StatusOf(fd) ?? throw new UnusableStateFileException($"cannot be examined: {Message(LastError)}");
        if (!status.IsRegularFile) throw new UnusableStateFileException($"is {status.TypeName}, not a regular file");
        if (status.Owner != 0 && status.Owner != User && status.Owner != Owner)
            throw new UnusableStateFileException($"belongs to uid {status.Owner}: only files of root, of this check's user (uid {User}) or of the directory's owner (uid {Owner}) are read");
        var tooLarge = $"is larger than {limitText}, the limit for this file";
        if (status.Size > (ulong)maxBytes) throw new UnusableStateFileException(tooLarge);
        // Read the size fstat gave, then one byte more: a file that grew after the stat is still caught (and never
        // read beyond the limit); the usual file is read into an array of its size, not copied again.
        var buffer = new byte[(int)status.Size];
        var total = Fill(fd, buffer, 0);
        if (total < buffer.Length) return buffer.AsSpan(0, total).ToArray();
        var probe = new byte[1];
        var more = Fill(fd, probe, 0);
        if (more == 0) return buffer;
        var grown = new byte[maxBytes + 1];
        buffer.CopyTo(grown, 0);
        grown[total++] = probe[0];
        total = Fill(fd, grown, total);
        if (total > maxBytes) throw new UnusableStateFileException(tooLarge);
        return grown.AsSpan(0, total).ToArray();
    }

    // Reads until the buffer is full or the file ends: how far the buffer is filled.
    private static int Fill(int fd, byte[] buffer, int at)
    {
        while (at < buffer.Length)
        {
            var n = DirectoryCalls.Read(fd, buffer, at);
            if (n < 0) throw new UnusableStateFileException($"cannot be read: {Message(LastError)}");
            if (n == 0) break;
            at += (int)n;
        }
        return at;
    }

    /// <summary>
    /// Replaces <paramref name="name"/> with <paramref name="content"/>: a new file with an unpredictable name,
    /// created exclusively, fsynced, then renamed over the old one. Throws an IOException with the reason.
    /// </summary>
    public void Write(string name, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        if (!Writable) throw new InvalidOperationException(ReadOnlyReason);
        string temporary;
        int fd;
        var attempts = 0;
        do
        {
            temporary = TemporaryName(name);
            fd = OpenAt(Fd, temporary, WriteOnly | Create | Exclusive | NoFollow | NoControllingTty | CloseOnExec, (int)mode);
        }
        while (fd < 0 && LastError == Exists && ++attempts < 8);
        if (fd < 0) throw new IOException($"cannot create a temporary file in {Path}: {Message(LastError)}");
        var written = false;
        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                if (!WriteAll(fd, content)) throw new IOException(Message(LastError));
                if (Fsync(fd) != 0) throw new IOException(Message(LastError));
            }
            if (RenameAt(Fd, temporary, name) != 0) throw new IOException(Message(LastError));
            written = true;
        }
        finally
        {
            if (!written) UnlinkAt(Fd, temporary);
        }
    }

    /// <summary>
    /// Opens (creating it if needed) the lock file <paramref name="name"/> for flock. Read access is enough for a
    /// lock, so a lock file left by another user (root) that this user can read still works; one it cannot read is
    /// replaced (the directory is this user's). Throws a <see cref="CheckException"/> with the reason.
    /// </summary>
    public SafeFileHandle OpenLock(string name)
    {
        if (!Writable) throw new InvalidOperationException(ReadOnlyReason);
        var where = System.IO.Path.Combine(Path, name);
        const int flags = ReadOnly | Create | NoControllingTty | NonBlocking | CloseOnExec;
        var fd = OpenAt(Fd, name, flags | NoFollow, 0x180);
        if (fd < 0 && LastError == AccessDenied && StatusAt(Fd, name) is { IsRegularFile: true } other && other.Owner != User)
        {
            // Another user's lock that this user may not read (left by an older version run as root): remove it.
            UnlinkAt(Fd, name);
            fd = OpenAt(Fd, name, flags | NoFollow, 0x180);
        }
        if (fd < 0)
        {
            var error = LastError;
            throw new CheckException(error == TooManyLinks
                ? $"cannot open state lock {where}: it is a symbolic link (not followed; remove it)"
                : $"cannot open state lock {where}: {Message(error)}");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = StatusOf(fd);
        if (status is { IsRegularFile: true }) return handle;
        handle.Dispose();
        throw new CheckException($"cannot use state lock {where}: it is {status?.TypeName ?? "of an unknown type"}, not a regular file (remove it)");
    }

    /// <summary>Removes what killed writers left of <paramref name="name"/>'s temporary files (call it holding the file's lock).</summary>
    public void RemoveTemporaries(string name)
    {
        if (!Writable) return;
        var prefix = name + ".tmp-";
        try
        {
            // The directory of the handle itself, not the path: the path may lead elsewhere by now.
            foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{Fd.ToString(CultureInfo.InvariantCulture)}", prefix + "*"))
                UnlinkAt(Fd, System.IO.Path.GetFileName(entry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only tidiness is lost.
        }
    }

    public static string TemporaryName(string name) => $"{name}.tmp-{Convert.ToHexStringLower(RandomBytes(8))}";

    public void Dispose() => _handle.Dispose();

    internal static string Message(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static bool MayFollow(FileStatus folder, FileStatus link)
    {
        var user = User;
        if (folder.Owner != 0 && folder.Owner != user) return false;
        if (!folder.WritableByOthers) return true;
        // In a sticky folder (/tmp) others cannot replace a link that root or this user made.
        return folder.Sticky && (link.Owner == 0 || link.Owner == user);
    }

    private static void CreateIn(int parent, string parentPath, string name, string path)
    {
        var folder = StatusOf(parent);
        if (folder is null || (folder.Value.Owner != 0 && folder.Value.Owner != User))
            throw new CheckException($"cannot create state directory {path}: {(parentPath.Length == 0 ? "/" : parentPath)} belongs to uid {folder?.Owner}, not to root or this check's user (uid {User})");
        if (MakeDirectoryAt(parent, name, 0x1ED) != 0 && LastError != Exists) // 0755
            throw new CheckException($"cannot create state directory {path}: {Message(LastError)}");
    }

    private static IEnumerable<string> Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");

    private static string Join(string at, string name) => name == ".." ? (System.IO.Path.GetDirectoryName(at) ?? "").TrimEnd('/') : $"{at}/{name}";
}

/// <summary>A file in a state directory that is not read: a link, not a regular file, another user's, too large.</summary>
public sealed class UnusableStateFileException(string reason) : Exception(reason);
