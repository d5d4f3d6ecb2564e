namespace DuplicityChecks.Plugin.Tests;

public class RangeTests
{
    [Test]
    public void Placeholder_range_parses() => ThresholdRange.Parse("10").End.Should().Be(10);
}
