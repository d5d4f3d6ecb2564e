namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// One process as the process table showed it (acquisition): what /proc or a ps capture told us, with
/// null wherever the source did not say (a ps capture has no wchan or terminal; another user's process may
/// hide its file descriptors). Never guessed.
/// </summary>
public sealed record ProcessEntry
{
    public required int Pid { get; init; }

    public int? ParentPid { get; init; }

    /// <summary>The argument vector. From a ps capture it is the args column split on blanks (ps joins argv with spaces).</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>True when the command line was longer than the reader's limit and was cut.</summary>
    public bool ArgvTruncated { get; init; }

    /// <summary>The kernel's short name (<c>comm</c>, from stat), e.g. <c>duplicity</c> for <c>/usr/bin/python3 /usr/bin/duplicity</c>.</summary>
    public string? Comm { get; init; }

    /// <summary>The state letter from stat: R running, S sleeping, D disk wait, T stopped, Z zombie...</summary>
    public char? State { get; init; }

    public int? Uid { get; init; }

    /// <summary>The user name (from the passwd file, or the ps capture's USER column, which ps cuts to 8 characters ending in '+').</summary>
    public string? User { get; init; }

    public DateTimeOffset? StartUtc { get; init; }

    /// <summary>Where the process sleeps in the kernel (<c>wait_woken</c>, <c>n_tty_read</c>...); null when unknown.</summary>
    public string? WaitChannel { get; init; }

    /// <summary>Target of file descriptor 0 (<c>/dev/pts/0</c>, <c>/dev/null</c>, <c>pipe:[123]</c>); null when unreadable.</summary>
    public string? Stdin { get; init; }

    /// <summary>The controlling terminal's device number from stat (0 = none).</summary>
    public int? TerminalDevice { get; init; }

    public int? ProcessGroup { get; init; }

    /// <summary>The foreground process group of the controlling terminal (stat tpgid); -1 when there is no terminal.</summary>
    public int? ForegroundGroup { get; init; }

    /// <summary>The file the process is blocked reading, when /proc/PID/syscall shows a read (root or same user only).</summary>
    public string? ReadingFrom { get; init; }

    /// <summary>The command line as ps prints it (argv joined with blanks).</summary>
    public string CommandLine => string.Join(' ', Argv);

    /// <summary>The program's short name: comm when known, else the last path element of argv[0].</summary>
    public string ShortName => Comm ?? (Argv.Count > 0 ? Path.GetFileName(Argv[0]) : "?");
}
