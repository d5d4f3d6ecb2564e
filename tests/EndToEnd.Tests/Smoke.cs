
namespace DuplicityChecks.EndToEnd.Tests;

public class Smoke
{
    [Test]
    public void Placeholder_range_parses() => DuplicityChecks.TestSupport.RepoPaths.Root.Should().NotBeEmpty();
}
