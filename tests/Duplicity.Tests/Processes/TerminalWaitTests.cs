using DuplicityChecks.Duplicity.Processes;

namespace DuplicityChecks.Duplicity.Tests.Processes;

public class TerminalWaitTests
{
    // PID 50 of the 0.8.22 passphrase-wait capture: sleeping in wait_woken, stdin /dev/pts/0, foreground of pts/0.
    private static readonly ProcessEntry AtPrompt = new()
    {
        Pid = 50, Argv = ["/usr/bin/python3.11", "/usr/bin/duplicity"], State = 'S', WaitChannel = "wait_woken",
        Stdin = "/dev/pts/0", TerminalDevice = 34816, ProcessGroup = 49, ForegroundGroup = 49,
    };

    [Test]
    public void The_captured_prompt_is_a_wait_on_its_terminal() => TerminalWait.WaitingOn(AtPrompt).Should().Be("/dev/pts/0");

    [Test]
    public void A_proven_read_of_dev_tty_names_the_real_terminal()
        => TerminalWait.WaitingOn(AtPrompt with { ReadingFrom = "/dev/tty", WaitChannel = null, Stdin = "/dev/null" }).Should().Be("/dev/pts/0");

    [Test]
    public void A_proven_read_of_something_else_is_not_a_terminal_wait()
        => TerminalWait.WaitingOn(AtPrompt with { ReadingFrom = "pipe:[1234]" }).Should().BeNull();

    [Test]
    public void Running_processes_do_not_wait() => TerminalWait.WaitingOn(AtPrompt with { State = 'R' }).Should().BeNull();

    [Test]
    public void A_background_process_group_is_not_reading_the_terminal()
        => TerminalWait.WaitingOn(AtPrompt with { ForegroundGroup = 77 }).Should().BeNull();

    [Test]
    public void Other_wait_channels_are_not_terminal_reads()
        => TerminalWait.WaitingOn(AtPrompt with { WaitChannel = "pipe_read" }).Should().BeNull();

    [Test]
    public void Without_wait_channel_nothing_is_claimed() => TerminalWait.WaitingOn(AtPrompt with { WaitChannel = null }).Should().BeNull();

    [Test]
    public void A_cron_run_with_stdin_dev_null_and_no_terminal_is_not_waiting()
        => TerminalWait.WaitingOn(AtPrompt with { Stdin = "/dev/null", TerminalDevice = 0, ForegroundGroup = -1 }).Should().BeNull();

    [Test]
    public void The_controlling_terminal_counts_when_stdin_is_not_one()
        => TerminalWait.WaitingOn(AtPrompt with { Stdin = "/dev/null" }).Should().Be("/dev/pts/0");
}
