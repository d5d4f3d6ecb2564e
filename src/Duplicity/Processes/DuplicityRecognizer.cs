namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// Tells a running duplicity from every other process by its argument vector (duplicity-formats.md §6.1):
/// <c>/usr/bin/python3.11 /usr/bin/duplicity ...</c> (Debian), <c>python3 /usr/local/bin/duplicity ...</c>
/// (upstream script via env), <c>/opt/venv/bin/python3 /opt/venv/bin/duplicity</c> (venv, pipx),
/// <c>python3 -m duplicity ...</c>, or a program named duplicity. Interpreter options before the script are
/// skipped; <c>rdiffdir</c> and wrappers (<c>sh -c "duplicity ..."</c>, sudo, duply, script) are not duplicity
/// themselves. <c>--version</c> and <c>--help</c> runs are ignored.
/// </summary>
public static class DuplicityRecognizer
{
    private static readonly byte[] Name = "duplicity"u8.ToArray();

    /// <summary>Cheap pre-check on raw command-line bytes: no "duplicity" in them, no need to look further.</summary>
    public static bool MayBeDuplicity(ReadOnlySpan<byte> commandLine) => commandLine.IndexOf(Name) >= 0;

    /// <summary>The index in argv of the duplicity script (or module name), or -1 when this is not duplicity.</summary>
    public static int ScriptIndex(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0) return -1;
        var program = BaseName(argv[0]);
        if (program == "duplicity") return 0;
        if (!IsPython(program)) return -1;
        for (var i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "--") return i + 1 < argv.Count && BaseName(argv[i + 1]) == "duplicity" ? i + 1 : -1;
            if (a.Length < 2 || a[0] != '-') return BaseName(a) == "duplicity" ? i : -1;
            if (a == "-m") return i + 1 < argv.Count && IsModule(argv[i + 1]) ? i + 1 : -1;
            if (a.StartsWith("-m", StringComparison.Ordinal)) return IsModule(a[2..]) ? i : -1;
            if (a.StartsWith("-c", StringComparison.Ordinal)) return -1; // python -c "...": a one-liner, not duplicity
            if (a is "-X" or "-W" or "--check-hash-based-pycs") i++; // options that take a separate value
        }
        return -1;
    }

    /// <summary>True for a duplicity doing real work (not <c>--version</c> or <c>--help</c>).</summary>
    public static bool IsDuplicity(IReadOnlyList<string> argv)
    {
        var index = ScriptIndex(argv);
        if (index < 0) return false;
        for (var i = index + 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "--") break;
            if (a is "--version" or "--help" or "-h" or "-V") return false;
        }
        return true;
    }

    private static bool IsModule(string name) => name is "duplicity" or "duplicity.__main__";

    private static bool IsPython(string program)
        => program.StartsWith("python", StringComparison.Ordinal) || program.StartsWith("pypy", StringComparison.Ordinal);

    private static string BaseName(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash >= 0 ? path[(slash + 1)..] : path;
    }
}
