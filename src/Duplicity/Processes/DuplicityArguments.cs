using System.Text;
using System.Text.RegularExpressions;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Processes;

/// <summary>
/// What a duplicity command line asks for (duplicity-formats.md §6.3): the action (explicit, one of the 2.x
/// aliases, a unique prefix as 0.x accepts, or implied by the positional arguments), the target URL with any
/// password masked, <c>--archive-dir</c> and <c>--name</c>. Option values are skipped by a table of duplicity's
/// value-taking options (0.8 to 3.1), and the URL is found by its scheme, which does not depend on that table.
/// </summary>
public sealed partial class DuplicityArguments
{
    private readonly string? _rawTarget;

    private DuplicityArguments(string? action, bool implicitAction, string? rawTarget, string? source, string? archiveDir, string? name)
    {
        Action = action;
        ActionIsImplicit = implicitAction;
        _rawTarget = rawTarget;
        Source = source;
        ArchiveDir = archiveDir;
        Name = name;
    }

    /// <summary>
    /// The canonical action: backup (implicit or 2.x <c>backup</c>), full, incremental, restore, verify,
    /// collection-status, cleanup, list-current-files, remove-older-than, remove-all-but-n-full,
    /// remove-all-inc-of-but-n-full, replicate; null when the command line does not say.
    /// </summary>
    public string? Action { get; }

    /// <summary>True when no action word was given (the cron form <c>duplicity SRC URL</c> or <c>duplicity URL DIR</c>).</summary>
    public bool ActionIsImplicit { get; }

    /// <summary>The target URL with any password replaced by <c>***</c>; null when none was found.</summary>
    public string? Target => _rawTarget is null ? null : SecretMasker.MaskInPlace(_rawTarget);

    /// <summary>The source directory of a backup (or the restore directory), as typed.</summary>
    public string? Source { get; }

    /// <summary><c>--archive-dir</c> as typed, or null when the default cache is used.</summary>
    public string? ArchiveDir { get; }

    /// <summary><c>--name</c>, or null.</summary>
    public string? Name { get; }

    /// <summary>
    /// The folder name under the archive dir: <c>--name</c>, else md5 of the target URL exactly as typed
    /// (duplicity's <c>generate_default_backup_name</c>; the password is part of what is hashed).
    /// </summary>
    public string? BackupName => Name ?? (_rawTarget is null ? null : Md5Hex(_rawTarget));

    /// <summary>Human phrase for summaries: "full backup to URL", "restore from URL", "cleanup of URL".</summary>
    public string Describe()
    {
        var target = Target ?? "(no target URL)";
        return Action switch
        {
            "full" => $"full backup to {target}",
            "incremental" => $"incremental backup to {target}",
            "backup" => $"backup to {target}",
            "restore" => $"restore from {target}",
            "replicate" => $"replicate to {target}",
            null => $"duplicity (action unknown) on {target}",
            _ => $"{Action} of {target}",
        };
    }

    public static DuplicityArguments Parse(IReadOnlyList<string> argv)
    {
        var start = DuplicityRecognizer.ScriptIndex(argv) + 1;
        var positionals = new List<string>();
        string? archiveDir = null, name = null;
        var optionsEnded = false;
        for (var i = Math.Max(start, 0); i < argv.Count; i++)
        {
            var a = argv[i];
            if (optionsEnded || a.Length < 2 || a[0] != '-')
            {
                positionals.Add(a);
                continue;
            }
            if (a == "--")
            {
                optionsEnded = true;
                continue;
            }
            string? value = null;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=');
                var key = eq >= 0 ? a[2..eq] : a[2..];
                if (!TakesValue(key)) continue;
                if (eq >= 0) value = a[(eq + 1)..];
                else if (i + 1 < argv.Count) value = argv[++i];
                if (key == "rename" && eq < 0) i++; // --rename takes two values
                if (key == "archive-dir") archiveDir = value;
                else if (key == "name") name = value;
                continue;
            }
            // Short options with a value: -v N, -t TIME, -r PATH (the value may be glued: -v8).
            if (a.Length == 2 && a[1] is 'v' or 't' or 'r') i++;
        }

        string? action = null;
        var implicitAction = false;
        var rest = positionals;
        var first = positionals.Count > 0 ? ActionOf(positionals[0]) : null;
        if (first is null && positionals.Count > 0 && IsAmbiguous(positionals[0]))
            return new DuplicityArguments(null, false, positionals.Skip(1).LastOrDefault(IsUrl), null, archiveDir, name);
        if (first is { } word)
        {
            action = word;
            // remove-older-than TIME and remove-all-*-n-full N take their argument before the URL.
            rest = positionals.Skip(word.StartsWith("remove-", StringComparison.Ordinal) ? 2 : 1).ToList();
        }
        var urls = rest.Where(IsUrl).ToList();
        string? target = null, source = null;
        if (action is null)
        {
            if (rest.Count == 2 && IsUrl(rest[1]) && !IsUrl(rest[0])) { action = "backup"; implicitAction = true; target = rest[1]; source = rest[0]; }
            else if (rest.Count == 2 && IsUrl(rest[0]) && !IsUrl(rest[1])) { action = "restore"; implicitAction = true; target = rest[0]; source = rest[1]; }
            else target = urls.LastOrDefault();
        }
        else if (action is "full" or "incremental" or "backup" or "replicate")
        {
            target = urls.LastOrDefault();
            source = rest.FirstOrDefault(p => !IsUrl(p));
        }
        else
        {
            target = urls.FirstOrDefault();
            source = rest.FirstOrDefault(p => !IsUrl(p));
        }
        return new DuplicityArguments(action, implicitAction, target, source, archiveDir, name);
    }

    private static readonly string[] Commands =
    [
        "cleanup", "collection-status", "full", "incremental", "list-current-files", "remove-older-than",
        "remove-all-but-n-full", "remove-all-inc-of-but-n-full", "restore", "verify", "replicate",
    ];

    /// <summary>The action a first positional names: 2.x aliases exactly, else a unique prefix (0.x optparse rule).</summary>
    public static string? ActionOf(string word)
    {
        switch (word)
        {
            case "backup" or "bu": return "backup";
            case "fb": return "full";
            case "incr" or "inc" or "ib": return "incremental";
            case "st": return "collection-status";
            case "cl": return "cleanup";
            case "ls": return "list-current-files";
            case "ro": return "remove-older-than";
            case "ra": return "remove-all-but-n-full";
            case "ri": return "remove-all-inc-of-but-n-full";
            case "rb": return "restore";
            case "vb": return "verify";
        }
        if (word.Length == 0 || IsUrl(word)) return null;
        string? match = null;
        foreach (var c in Commands)
        {
            if (!c.StartsWith(word, StringComparison.Ordinal)) continue;
            if (c == word) return c;
            if (match is not null) return null; // ambiguous: duplicity itself refuses it
            match = c;
        }
        return match;
    }

    /// <summary>A prefix of several actions ("re"): duplicity refuses it, so no action is implied either.</summary>
    private static bool IsAmbiguous(string word)
        => word.Length > 0 && !IsUrl(word) && !Commands.Contains(word) && Commands.Count(c => c.StartsWith(word, StringComparison.Ordinal)) > 1;

    public static bool IsUrl(string text) => UrlPattern().IsMatch(text);

    // duplicity 3.x cli_util.url_regexp: a scheme of word characters and '+', then "://".
    [GeneratedRegex(@"^[\w+]+://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    private static bool TakesValue(string option) => ValueOptions.Contains(option)
        || (option.StartsWith("s3-", StringComparison.Ordinal) && !S3Flags.Contains(option))
        || option.StartsWith("azure-", StringComparison.Ordinal)
        || option.StartsWith("file-prefix", StringComparison.Ordinal);

    // Options that take a value in duplicity 0.8 (commandline.py) and 2.x/3.x (cli_data.py).
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "archive-dir", "name", "log-file", "log-fd", "tempdir", "volsize", "verbosity", "exclude", "include",
        "exclude-filelist", "include-filelist", "exclude-regexp", "include-regexp", "exclude-globbing-filelist",
        "include-globbing-filelist", "exclude-if-present", "exclude-older-than", "full-if-older-than", "gpg-options",
        "ssh-options", "rsync-options", "par2-options", "time", "restore-time", "file-to-restore", "path-to-restore",
        "encrypt-key", "hidden-encrypt-key", "encrypt-sign-key", "sign-key", "encrypt-secret-keyring", "gpg-binary",
        "config-dir", "current-time", "fail-on-volume", "skip-volume", "idr-fakeroot", "imap-mailbox", "max-blocksize",
        "num-retries", "metadata-sync-mode", "par2-redundancy", "par2-volumes", "progress-rate", "rename",
        "swift-storage-policy", "scp-command", "sftp-command", "cf-backend", "ssl-cacert-file", "ssl-cacert-path",
        "timeout", "time-separator", "mp-segment-size", "file-changed", "show-changes-in-set", "backend-retry-delay",
        "concurrency", "copy-blocksize", "webdav-headers", "files-from",
    };

    private static readonly HashSet<string> S3Flags = new(StringComparer.Ordinal)
    {
        "s3-european-buckets", "s3-use-rrs", "s3-use-ia", "s3-use-glacier", "s3-use-glacier-ir", "s3-use-deep-archive",
        "s3-use-onezone-ia", "s3-use-new-style", "s3-unencrypted-connection", "s3-use-multiprocessing",
        "s3-use-server-side-encryption", "s3-use-server-side-kms-encryption",
    };

    private static string Md5Hex(string text) => Hashes.Md5Hex(Encoding.UTF8.GetBytes(text));
}
