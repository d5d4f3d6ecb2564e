namespace DuplicityChecks.Duplicity.Live;

/// <summary>What a live <c>duplicity collection-status</c> run left: exit code, machine log, both streams.</summary>
public sealed record CollectionStatusRun(int ExitCode, string MachineLog, string Stdout, string Stderr, string CommandLine)
{
    /// <summary>Exit 23 with duplicity's lock message: another duplicity (a backup) holds the archive dir.</summary>
    public bool LockHeld => ExitCode == 23 && (Contains("Another duplicity instance") || Contains("Another instance is already running"));

    /// <summary>sudo -n refused (no rule, or a password would be needed): exit 1 with sudo's own message.</summary>
    public bool SudoRefused => ExitCode == 1 && Stderr.StartsWith("sudo:", StringComparison.Ordinal);

    /// <summary>The first ERROR line duplicity wrote (stderr or machine log), for the reason in the output.</summary>
    public string? FirstError()
    {
        // getpass found no terminal (duplicity runs in a session of its own) and read EOF from the closed stdin.
        if (Stderr.Contains("GetPassWarning", StringComparison.Ordinal) && Stderr.Contains("EOFError", StringComparison.Ordinal))
            return "duplicity asked for a password, and a check has no terminal to type it on (give the job its password in its environment or URL config)";
        foreach (var line in Stderr.Split('\n'))
        {
            var l = line.Trim();
            if (l.Length == 0 || l.StartsWith("Traceback", StringComparison.Ordinal) || l.StartsWith("File \"", StringComparison.Ordinal)) continue;
            if (l.StartsWith("Could not release lockfile", StringComparison.Ordinal)) continue;
            return l;
        }
        return null;
    }

    private bool Contains(string text) => Stderr.Contains(text, StringComparison.Ordinal) || MachineLog.Contains(text, StringComparison.Ordinal);
}
