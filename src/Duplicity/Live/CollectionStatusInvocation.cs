namespace DuplicityChecks.Duplicity.Live;

/// <summary>How to run <c>duplicity collection-status</c> for one backup.</summary>
public sealed record CollectionStatusInvocation(
    string Destination,
    string DuplicityPath = CollectionStatusInvocation.DefaultDuplicity,
    string? ArchiveDir = null,
    string? BackupName = null,
    string? SudoUser = null)
{
    public const string DefaultDuplicity = "/usr/bin/duplicity";
    public const string SudoPath = "/usr/bin/sudo";

    /// <summary>
    /// The program and its argument array (never a shell). With a sudo user: <c>sudo --non-interactive --user=USER --
    /// duplicity ...</c>; non-interactive makes sudo fail at once instead of waiting for a password nobody will type.
    /// Every value goes in one word with its option (<c>--name=N</c>), so a value that begins with '-' cannot be read
    /// as an option of its own; the destination is the one positional word, and <see cref="Jobs.DestinationUrl"/> refuses
    /// one that begins with '-'. It is not put after "--": duplicity 2.x and 3.x re-assemble their arguments in a
    /// pre-parse (cli_main.py) that moves later options behind the URL, where a "--" would turn them into positionals.
    /// </summary>
    public (string Program, IReadOnlyList<string> Arguments) Command(string machineLogPath)
    {
        if (Destination.StartsWith('-'))
            throw new ArgumentException($"a destination that begins with '-' would be read as an option: {Destination}", nameof(Destination));
        var args = new List<string>();
        if (SudoUser is not null) args.AddRange(["--non-interactive", $"--user={SudoUser}", "--", DuplicityPath]);
        args.Add("collection-status");
        if (ArchiveDir is not null) args.Add($"--archive-dir={ArchiveDir}");
        if (BackupName is not null) args.Add($"--name={BackupName}");
        args.Add($"--log-file={machineLogPath}");
        args.Add(Destination);
        return (SudoUser is not null ? SudoPath : DuplicityPath, args);
    }
}
