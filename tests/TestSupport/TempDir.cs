namespace DuplicityChecks.TestSupport;

/// <summary>A temporary directory deleted on Dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("duplicity-checks-test-").FullName;

    private TempDir(string path) => Path = path;

    /// <summary>
    /// A temporary directory (0700) in a folder the checks trust for job files (<see cref="TrustedFolder"/>): /tmp is
    /// writable by everyone, so a job file below it is never used.
    /// </summary>
    public static TempDir InTrustedFolder()
        => new(Directory.CreateDirectory(System.IO.Path.Combine(TrustedFolder.Path, "t-" + Guid.NewGuid().ToString("N")[..12]),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName);

    /// <summary>
    /// A temporary directory on tmpfs (/dev/shm): its timestamps hold any 64-bit second, where ext4 stops at 1901 and
    /// 2446, so it is where times beyond a DateTime can be made.
    /// </summary>
    public static TempDir OnTmpfs()
        => new(Directory.CreateDirectory(System.IO.Path.Combine("/dev/shm", "duplicity-checks-test-" + Guid.NewGuid().ToString("N")[..12])).FullName);

    public string Path { get; }

    public string File(string name, string content)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    /// <summary>An executable script (its #! line decides the interpreter).</summary>
    public string Script(string name, string content)
    {
        var p = File(name, content);
        System.IO.File.SetUnixFileMode(p, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
