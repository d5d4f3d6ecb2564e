using System.Globalization;
using CliWrap;

namespace DuplicityChecks.Duplicity.Live;

/// <summary>
/// Ends processes a <c>--sudo-user</c> run left behind when the check may not signal them itself (it runs as nagios,
/// they as the backup user): <c>sudo -n -u USER -- /usr/bin/kill -s KILL -- PID...</c>. The sudoers rule it needs,
/// beside the one for duplicity: <c>nagios ALL=(USER) NOPASSWD: /usr/bin/duplicity, /usr/bin/kill</c>. Without it
/// sudo refuses at once (-n) and the processes stay; the caller says so.
/// </summary>
internal static class SudoKill
{
    public const string KillPath = "/usr/bin/kill";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    /// <summary>True when sudo ran kill and kill reported success for every PID.</summary>
    public static async Task<bool> RunAsync(string user, IReadOnlyList<int> pids, CancellationToken cancellation)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bounded.CancelAfter(Bound);
        using var stop = new CancellationTokenSource();
        try
        {
            var result = await Cli.Wrap(CollectionStatusInvocation.SudoPath)
                .WithArguments(["-n", "-u", user, "--", KillPath, "-s", "KILL", "--", .. pids.Select(p => p.ToString(CultureInfo.InvariantCulture))])
                .WithEnvironmentVariables(env => env.Set("LC_ALL", "C"))
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(new ExitBoundCapture(stop.Token).Target)
                .WithStandardErrorPipe(new ExitBoundCapture(stop.Token).Target)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(bounded.Token).ConfigureAwait(false);
            return result.ExitCode == 0;
        }
        catch (Exception e) when (e is OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
