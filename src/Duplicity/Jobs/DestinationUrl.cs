using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// The backup destination a check is given (--destination, else the job's <c>destination</c>). It reaches duplicity's
/// command line (live collection-status) and the commands that Fix lines quote, so one that begins with '-' would be
/// read there as an option (<c>--destination=--version</c> ended a live run's argv as <c>--version</c>): refused as a
/// usage error, wherever it came from. No URL scheme and no path begins with '-'.
/// </summary>
public static class DestinationUrl
{
    /// <summary>The destination to use: the option when given (not empty), else the job's value; both are checked.</summary>
    /// <exception cref="UsageException">The chosen value begins with '-'.</exception>
    public static string? Pick(string? option, string? jobValue, string? jobName)
    {
        if (option is { Length: > 0 }) return Checked(option, "--destination");
        return jobValue is { Length: > 0 } ? Checked(jobValue, $"destination of [job:{jobName}]") : null;
    }

    private static string Checked(string destination, string origin) => destination.StartsWith('-')
        ? throw new UsageException($"{origin}: '{destination}' begins with '-', which duplicity would read as an option; give the target URL (scheme://...)")
        : destination;
}
