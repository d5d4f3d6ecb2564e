namespace DuplicityChecks.Plugin;

/// <summary>Bad options or arguments: reported as UNKNOWN with a short usage text, exit 3.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The check could not see the truth (unreadable or unrecognised input, missing permission...): reported as
/// UNKNOWN with this one-line message. Thrown by acquisition code; never a guessed value.
/// </summary>
public sealed class CheckException : Exception
{
    public CheckException(string message) : base(message) { }
    public CheckException(string message, Exception inner) : base(message, inner) { }
}
