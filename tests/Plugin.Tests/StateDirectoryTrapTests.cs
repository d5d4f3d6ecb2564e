using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>
/// Issue 15, item 1: the state directory belongs to the monitoring user, and a check run by root must not be led
/// by links planted there to write root's files, nor leave a file that breaks the owner's next run. And item 8's
/// state-file part: a state file that is a link, a device, a FIFO or huge is UNKNOWN with the reason (the limit),
/// never read to exhaustion. Run as root (the attack needs a root run); ignored otherwise.
/// </summary>
public class StateDirectoryTrapTests
{
    private TrapTree _tree = null!;

    [SetUp]
    public void SetUp()
    {
        if (!TrapTree.IsRoot) Assert.Ignore("the trap is for a check run by root");
        _tree = new TrapTree();
    }

    [TearDown]
    public void TearDown() => _tree?.Dispose();

    private string StatePath => Path.Combine(_tree.State, "log.state");

    private static string Valid(string offset) => $"{StateFile.Header}\noffset={offset}\n{StateFile.Trailer}\n";

    [Test]
    public void Root_on_the_monitoring_users_directory_reads_the_state_and_writes_nothing_through_planted_links()
    {
        File.WriteAllText(StatePath, Valid("42"));
        TrapTree.Chown(StatePath);
        _tree.GiveStateToUnprivileged();
        // What the issue saw root write: the lock, and the temporary file named by PID.
        _tree.Plant("log.state.lock", _tree.Absent);
        _tree.Plant($"log.state.tmp-{Environment.ProcessId}", _tree.Secret);
        var before = _tree.Entries();
        var secret = _tree.SecretContent;

        using (var state = StateFile.Open(StatePath, TimeSpan.FromSeconds(1)))
        {
            state.Get("offset").Should().Be("42", "the owner's state is read");
            state.Set("offset", "43");
            state.Commit();
        }

        _tree.SecretContent.Should().Be(secret, "a root-only file is not written through a link");
        File.Exists(_tree.Absent).Should().BeFalse("no root-only file is created through a link");
        _tree.Entries().Should().Equal(before, "root creates, replaces and removes nothing in another user's directory");
        File.ReadAllText(StatePath).Should().Be(Valid("42"), "the owner's next check finds its state as it was");
    }

    [Test]
    public void Root_on_the_monitoring_users_directory_says_why_the_state_is_not_saved()
    {
        _tree.GiveStateToUnprivileged();
        using var state = StateFile.Open(StatePath, TimeSpan.FromSeconds(1));
        state.IsNew.Should().BeTrue();
        state.ReadOnlyReason.Should().Be($"the state directory {_tree.State} belongs to uid {TrapTree.Unprivileged.Uid}, not to this check's user (uid 0), so nothing is written there");
        state.Set("offset", "1");
        state.Commit();
        Directory.EnumerateFileSystemEntries(_tree.State).Should().BeEmpty("not even a lock file");
    }

    [Test]
    public void Root_on_its_own_directory_never_writes_through_a_planted_temporary_name()
    {
        // Any user who could write the directory could have planted this; the name must not be guessable.
        _tree.Plant($"log.state.tmp-{Environment.ProcessId}", _tree.Secret);
        var secret = _tree.SecretContent;
        using (var state = StateFile.Open(StatePath, TimeSpan.FromSeconds(1)))
        {
            state.Set("offset", "7");
            state.Commit();
        }
        _tree.SecretContent.Should().Be(secret);
        File.ReadAllText(StatePath).Should().Be(Valid("7"));
        new FileInfo(StatePath).LinkTarget.Should().BeNull("a regular file, renamed into place");
    }

    [Test]
    public void What_killed_checks_left_of_temporary_files_is_removed_by_the_next_commit()
    {
        File.WriteAllText(StatePath + ".tmp-12345", "half");
        File.WriteAllText(StatePath + ".tmp-0123456789abcdef", "half");
        var other = Path.Combine(_tree.State, "other.state.tmp-1");
        File.WriteAllText(other, "another state's");
        using (var state = StateFile.Open(StatePath, TimeSpan.FromSeconds(1)))
        {
            state.Set("offset", "1");
            state.Commit();
        }
        Directory.EnumerateFiles(_tree.State).Select(Path.GetFileName).Should().BeEquivalentTo("log.state", "log.state.lock", "other.state.tmp-1");
    }

    [TestCase("log.state", TestName = "A state file that is a symbolic link is not followed")]
    [TestCase("log.state.lock", TestName = "A lock file that is a symbolic link is not followed")]
    public void A_link_in_the_state_directory_is_not_followed(string name)
    {
        _tree.Plant(name, _tree.Secret);
        var secret = _tree.SecretContent;
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage("*symbolic link*");
        _tree.SecretContent.Should().Be(secret);
    }

    [Test]
    public void A_lock_linked_to_a_missing_root_file_creates_nothing()
    {
        _tree.Plant("log.state.lock", _tree.Absent);
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage("*state lock*symbolic link*");
        File.Exists(_tree.Absent).Should().BeFalse();
    }

    [Test]
    public void A_state_file_linked_to_dev_zero_is_unknown_without_reading_it()
    {
        _tree.Plant("log.state", "/dev/zero");
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"state file {StatePath} is a symbolic link*");
    }

    [Test]
    public void A_state_file_that_is_a_device_is_unknown_without_reading_it()
    {
        TrapTree.MakeZeroDevice(StatePath);
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"state file {StatePath} is a character device, not a regular file");
    }

    [Test]
    [CancelAfter(20_000)]
    public void A_state_file_that_is_a_fifo_is_unknown_without_waiting_for_a_writer()
    {
        TrapTree.MakeFifo(StatePath);
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"state file {StatePath} is a FIFO, not a regular file");
    }

    [Test]
    public void A_state_file_larger_than_the_limit_is_unknown_naming_the_limit()
    {
        File.WriteAllText(StatePath, Valid("1") + new string('#', StateFile.MaxLength));
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"state file {StatePath} is larger than 64 KiB, the limit for this file");
    }

    [Test]
    public void A_state_file_of_the_limit_is_read()
    {
        var text = Valid("1");
        File.WriteAllText(StatePath, text.Replace(StateFile.Trailer, "pad=" + new string('x', StateFile.MaxLength - Encoding.UTF8.GetByteCount(text) - 5) + "\n" + StateFile.Trailer));
        new FileInfo(StatePath).Length.Should().Be(StateFile.MaxLength);
        using var state = StateFile.Open(StatePath, TimeSpan.FromSeconds(1));
        state.CorruptReason.Should().BeNull();
        state.Get("offset").Should().Be("1");
    }

    [Test]
    public void A_state_file_of_another_user_in_roots_directory_is_not_trusted()
    {
        File.WriteAllText(StatePath, Valid("1"));
        TrapTree.Chown(StatePath);
        var open = () => StateFile.Open(StatePath, TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"state file {StatePath} belongs to uid {TrapTree.Unprivileged.Uid}*");
    }

    [Test]
    public void A_state_directory_reached_through_a_link_in_another_users_folder_is_not_used()
    {
        // The owner of a folder on the way swaps the state directory for a link to a root-only folder.
        var folder = Path.Combine(_tree.Root, "nagios-home");
        Directory.CreateDirectory(folder);
        TrapTree.Chown(folder);
        var link = Path.Combine(folder, "state");
        File.CreateSymbolicLink(link, _tree.Victims);
        TrapTree.Chown(link);
        var open = () => StateFile.Open(Path.Combine(link, "x.state"), TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"*{link} is a symbolic link in a folder that users other than root*");
        Directory.EnumerateFileSystemEntries(_tree.Victims).Select(Path.GetFileName).Should().BeEquivalentTo("secret");
    }

    [Test]
    public void A_link_in_a_folder_only_root_can_change_is_followed()
    {
        var link = Path.Combine(_tree.Root, "state-link");
        File.CreateSymbolicLink(link, _tree.State);
        using (var state = StateFile.Open(Path.Combine(link, "x.state"), TimeSpan.FromSeconds(1)))
        {
            state.Set("offset", "3");
            state.Commit();
        }
        File.ReadAllText(Path.Combine(_tree.State, "x.state")).Should().Be(Valid("3"));
    }

    [Test]
    public void A_missing_directory_is_not_created_inside_another_users_directory()
    {
        _tree.GiveStateToUnprivileged();
        var open = () => StateFile.Open(Path.Combine(_tree.State, "sub", "x.state"), TimeSpan.FromSeconds(1)).Dispose();
        open.Should().Throw<CheckException>().WithMessage($"cannot create state directory {_tree.State}/sub: {_tree.State} belongs to uid {TrapTree.Unprivileged.Uid}*");
        Directory.EnumerateFileSystemEntries(_tree.State).Should().BeEmpty();
    }
}
