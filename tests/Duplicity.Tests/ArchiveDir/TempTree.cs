namespace DuplicityChecks.Duplicity.Tests.ArchiveDir;

/// <summary>A temporary directory removed at dispose, with a fake proc root beside it.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Directory.CreateTempSubdirectory("dupchk-archive-").FullName;
        ProcRoot = Path.Combine(Root, "proc");
        Directory.CreateDirectory(ProcRoot);
        File.WriteAllText(Path.Combine(ProcRoot, "locks"), "");
    }

    public string Root { get; }

    /// <summary>A proc root whose <c>locks</c> is empty until a test writes it.</summary>
    public string ProcRoot { get; }

    public string Dir(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    public string File_(string relative, string content = "")
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a test that failed half-way may leave a file open
        }
    }
}
