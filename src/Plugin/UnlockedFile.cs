using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Opens a file for reading with open(2) and nothing else. On Unix every .NET open by path (FileStream,
/// File.OpenHandle, File.ReadAllText, StreamReader) takes an advisory flock: LOCK_SH for any FileShare but None,
/// non-blocking. A backup wrapper that holds LOCK_EX on its log (flock(1) around the job) then makes the open
/// fail with "being used by another process", and the check could not read the log at all. A monitor must
/// never take part in someone else's locking, so the files the checks read are opened here: no lock, and
/// FileStream over the descriptor (its constructor from a handle takes none either). The open is DirectoryCalls' openat.
/// </summary>
public static class UnlockedFile
{
    /// <summary>A read-only stream over <paramref name="path"/> (buffer size 1: the readers buffer themselves).</summary>
    public static FileStream OpenRead(string path, int bufferSize = 1) => new(OpenHandle(path), FileAccess.Read, bufferSize);

    /// <summary>A read-only descriptor of <paramref name="path"/>; errors as the .NET exceptions a FileStream throws.</summary>
    public static SafeFileHandle OpenHandle(string path)
    {
        var fd = DirectoryCalls.OpenAt(DirectoryCalls.WorkingDirectory, path, DirectoryCalls.ReadOnly | DirectoryCalls.NoControllingTty | DirectoryCalls.CloseOnExec);
        if (fd < 0) throw ErrorFor(DirectoryCalls.LastError, path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // open(2) opens a directory for reading too; a FileStream by path refuses it, and so does this.
        if (FileStatus.Of(handle).IsDirectory)
        {
            handle.Dispose();
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }
        return handle;
    }

    private static Exception ErrorFor(int errno, string path) => errno switch
    {
        2 => new FileNotFoundException($"Could not find file '{path}'.", path),              // ENOENT
        20 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."), // ENOTDIR
        13 or 1 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."), // EACCES, EPERM
        _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'", errno),
    };
}
