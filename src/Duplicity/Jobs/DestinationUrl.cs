namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// The backup destination a check is given (--destination, else the job's <c>destination</c>). It reaches duplicity's
/// command line (live collection-status) and the commands that Fix lines quote, so one that begins with '-' would be
/// read there as an option (<c>--destination=--version</c> ended a live run's argv as <c>--version</c>): the option
/// layer refuses it as a usage error, wherever it came from. No URL scheme and no path begins with '-'.
/// </summary>
public static class DestinationUrl
{
    /// <summary>Why duplicity cannot be given <paramref name="destination"/> as its target, or null when it can.</summary>
    public static string? Problem(string destination) => destination.StartsWith('-')
        ? "begins with '-', which duplicity would read as an option; give the target URL (scheme://...)"
        : null;
}
