using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.CheckOptions;

/// <summary>The option values of a check: the command line over the job that --job names in the --config file.</summary>
public static class JobOptions
{
    /// <summary>Reads the job named by --job (learning its secrets) and merges the command line over it.</summary>
    public static OptionValues Read(ParsedOptions commandLine, SecretMasker? secrets)
    {
        var given = new OptionValues(commandLine);
        var job = given.Get(SharedOptions.Job) is { } name ? JobConfigReader.Load(given.Get(SharedOptions.Config)!, name, secrets) : null;
        return Over(commandLine, job);
    }

    /// <summary>The command line over a job already read (or none).</summary>
    public static OptionValues Over(ParsedOptions commandLine, JobConfig? job) => new(commandLine, job?.Name, job is null ? null : job.Get);
}
