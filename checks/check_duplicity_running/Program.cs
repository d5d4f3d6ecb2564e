using DuplicityChecks.Checks.Running;
using DuplicityChecks.Duplicity.Processes;
using DuplicityChecks.Plugin;

// check_duplicity_running: is a duplicity backup running, for how long, is it stuck at a passphrase prompt,
// and who holds the lock. Options -> probe (/proc or a ps capture) -> evaluate -> output (the runner owns stdout and the exit code).
return PluginRunner.Run(args, new PluginDefinition
{
    Name = "check_duplicity_running",
    Service = "DUPLICITY RUNNING",
    Description = "Is a duplicity backup running, for how long, is it stuck waiting for terminal input "
        + "(a GPG passphrase prompt), and which process holds its archive dir's lock? Reads /proc directly "
        + "(or a ps capture); without filters every duplicity counts.",
    Options = RunningOptions.Specs,
    Examples =
    [
        "check_duplicity_running -d rsync://backup@host:/srv/assets -A /data/.cache/duplicity",
        "check_duplicity_running -u govuk-backup -w 12h -c 1d",
        "check_duplicity_running --expect running -m 'assets'",
        "check_duplicity_running --ps-file ps.txt --now 1795689786 -v",
    ],
}, new CheckPipeline<RunningOptions, DuplicityProcessScan>(
    Options: context => RunningOptions.FromCommandLine(context.Options, context.Secrets),
    Probe: (options, context) => new RunningProbe(options, context),
    Evaluator: (options, context) => new RunningEvaluator(options, context.Now)));
