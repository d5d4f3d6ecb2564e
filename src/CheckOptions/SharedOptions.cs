using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.CheckOptions;

/// <summary>
/// The options several checks have: name, short letter, value name, job key, parser and default, once. Each check
/// gives its own help text (<c>with { Help = ... }</c>): what the value is for differs between the checks.
/// </summary>
public static class SharedOptions
{
    public static readonly Option<string?> Job = new("job", 'j', "NAME", "", OptionParsers.Text);

    public static readonly Option<string?> Config = new Option<string?>("config", null, "FILE", "", OptionParsers.Text)
        .WithDefault(JobConfigReader.DefaultPath);

    public static readonly Option<string?> Destination = new("destination", 'd', "URL", "", DuplicityParsers.Destination) { JobKey = "destination" };

    public static readonly Option<string?> ArchiveDir = new("archive-dir", 'A', "DIR", "", OptionParsers.Text) { JobKey = "archive_dir" };

    public static readonly Option<string?> BackupName = new("name", 'N', "NAME", "", OptionParsers.Text) { JobKey = "name" };

    public static readonly Option<string?> User = new("user", 'u', "USER", "", OptionParsers.Text) { JobKey = "user" };

    public static readonly Option<string?> Script = new("script", null, "PATH", "", OptionParsers.Text) { JobKey = "script" };

    public static readonly Option<string?> ProcRoot = new Option<string?>("proc-root", null, "DIR", "", OptionParsers.Text).WithDefault("/proc");
}
