using DuplicityChecks.Plugin;
namespace DuplicityChecks.Duplicity.Tests;

public class Smoke
{
    [Test]
    public void Placeholder_range_parses() => ThresholdRange.Parse("10").End.Should().Be(10);
}
