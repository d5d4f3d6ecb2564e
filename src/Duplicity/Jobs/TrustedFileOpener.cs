using DuplicityChecks.Plugin;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// Opens a job file so that nobody but root and the user running the check can have chosen what it says. The path
/// is walked from / one component at a time, each opened relative to the descriptor of the folder before it without
/// following links (openat, O_NOFOLLOW), and each folder's owner and mode are read from that descriptor; a link is
/// followed by reading it and walking its target the same way, so every folder on both the path as given and the
/// real path is checked, and nothing can be swapped between a check and an open. The file is opened for reading
/// the same way and checked on the descriptor that is read. Any failure is a <see cref="CheckException"/> that
/// names the path and what is wrong.
/// </summary>
internal static class TrustedFileOpener
{
    private const int MaxLinks = 40; // the kernel's own limit (ELOOP)

    public static SafeFileHandle Open(string fullPath)
    {
        var self = DirectoryCalls.EffectiveUser;
        var folders = new List<(int Fd, string Path)>();
        try
        {
            var root = OpenEntry(DirectoryCalls.WorkingDirectory, "/", out var rootErrno);
            if (root < 0) throw NotOpened(fullPath, "/", rootErrno);
            folders.Add((root, "/"));
            RequireTrusted(fullPath, root, "folder /", "/", via: null, self);

            var pending = new Stack<string>();
            PushComponents(pending, fullPath);
            string? via = null; // the last link followed, for the message
            var links = 0;
            while (pending.TryPop(out var name))
            {
                if (name == "..")
                {
                    if (folders.Count > 1) PopFolder(folders);
                    continue;
                }
                var (dirFd, dirPath) = folders[^1];
                var here = dirPath == "/" ? "/" + name : dirPath + "/" + name;
                var fd = OpenEntry(dirFd, name, out var errno);
                if (fd < 0) throw NotOpened(fullPath, here, errno);
                var status = DirectoryCalls.StatusOf(fd);
                if (status is null)
                {
                    DirectoryCalls.Close(fd);
                    throw new CheckException($"cannot read config {fullPath}: the status of {here} cannot be read");
                }
                if (status.Value.IsSymbolicLink)
                {
                    var target = DirectoryCalls.ReadLinkAt(fd, "");
                    DirectoryCalls.Close(fd);
                    if (target is null || ++links > MaxLinks)
                        throw new CheckException($"cannot read config {fullPath}: too many links, or the link {here} cannot be read");
                    via = here;
                    if (target.StartsWith('/'))
                        while (folders.Count > 1) PopFolder(folders);
                    PushComponents(pending, target);
                    continue;
                }
                if (status.Value.IsDirectory)
                {
                    folders.Add((fd, here));
                    RequireTrusted(fullPath, fd, "folder " + here, here, via, self);
                    continue;
                }
                DirectoryCalls.Close(fd);
                if (pending.Count > 0) throw new CheckException($"config file {fullPath} not found ({here} is not a folder)");
                if (!status.Value.IsRegularFile) throw new CheckException($"config {fullPath} is not a regular file");
                return OpenRegular(fullPath, dirFd, name, here, via, status.Value, self);
            }
            throw new CheckException($"config {fullPath} is a directory");
        }
        finally
        {
            while (folders.Count > 0) PopFolder(folders);
        }
    }

    private static SafeFileHandle OpenRegular(string fullPath, int dirFd, string name, string here, string? via, FileStatus seen, uint self)
    {
        var fd = OpenForReading(dirFd, name, out var errno);
        if (fd < 0) throw NotOpened(fullPath, here, errno);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // The entry was replaced between the look and the open (only root or the owner could): read nothing of it.
            if (DirectoryCalls.StatusOf(fd) is not { IsRegularFile: true } opened || opened.Inode != seen.Inode || opened.Device != seen.Device)
                throw new CheckException($"config {fullPath} changed while it was opened; try again");
            RequireTrusted(fullPath, opened, here == fullPath ? "it" : $"its target {here}", here, via, self);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void RequireTrusted(string fullPath, int fd, string subject, string path, string? via, uint self)
    {
        var status = DirectoryCalls.StatusOf(fd)
            ?? throw new CheckException($"cannot read config {fullPath}: the status of {path} cannot be read");
        RequireTrusted(fullPath, status, subject, path, via, self);
    }

    private static void RequireTrusted(string fullPath, FileStatus status, string subject, string path, string? via, uint self)
    {
        if (TrustRule.Check(status, path, self) is not { } wrong) return;
        var through = via is null ? "" : $" (reached through the link {via})";
        throw new CheckException($"job file {fullPath}: {subject}{through} {wrong.Problem}: not trusted, nothing in it is used ({wrong.Fix})");
    }

    private static CheckException NotOpened(string fullPath, string here, int errno) => errno switch
    {
        DirectoryCalls.NoEntry => new CheckException($"config file {fullPath} not found"),
        DirectoryCalls.NotDirectory => new CheckException($"config file {fullPath} not found ({here} is not a folder)"),
        DirectoryCalls.AccessDenied => new CheckException($"cannot read config {fullPath}: permission denied"),
        DirectoryCalls.TooManyLinks => new CheckException($"cannot read config {fullPath}: {here} is a link"),
        _ => new CheckException($"cannot read config {fullPath}: {here} cannot be opened (errno {errno})"),
    };

    /// <summary>A handle on the entry <paramref name="name"/> of <paramref name="dirFd"/> itself, a link not followed.</summary>
    private static int OpenEntry(int dirFd, string name, out int errno)
        => Opened(DirectoryCalls.OpenAt(dirFd, name, DirectoryCalls.PathOnly | DirectoryCalls.NoFollow | DirectoryCalls.CloseOnExec), out errno);

    /// <summary>The file <paramref name="name"/> of <paramref name="dirFd"/> opened for reading: no link followed, no FIFO waited on.</summary>
    private static int OpenForReading(int dirFd, string name, out int errno)
        => Opened(DirectoryCalls.OpenAt(dirFd, name, DirectoryCalls.ReadOnly | DirectoryCalls.NoFollow | DirectoryCalls.NonBlocking
            | DirectoryCalls.NoControllingTty | DirectoryCalls.CloseOnExec), out errno);

    private static int Opened(int fd, out int errno)
    {
        errno = fd < 0 ? DirectoryCalls.LastError : 0;
        return fd;
    }

    /// <summary>The names of <paramref name="path"/> pushed so that the first pops first; empty names and "." dropped.</summary>
    private static void PushComponents(Stack<string> pending, string path)
    {
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = names.Length - 1; i >= 0; i--)
            if (names[i] != ".") pending.Push(names[i]);
    }

    private static void PopFolder(List<(int Fd, string Path)> folders)
    {
        DirectoryCalls.Close(folders[^1].Fd);
        folders.RemoveAt(folders.Count - 1);
    }
}
