namespace DuplicityChecks.Plugin.Tests;

public class SecretMaskerTests
{
    [TestCase("rsync://user:secret@host/path", "rsync://user:***@host/path")]
    [TestCase("sftp://u:p@ss@host//x", "sftp://u:***@host//x")]
    [TestCase("file:///srv/x", "file:///srv/x")]
    [TestCase("rsync://user@host:/path", "rsync://user@host:/path")]
    [TestCase("s3://AKIA:abc/def@bucket/x", "s3://AKIA:***@bucket/x")]
    [TestCase("Could not find a part of the path '/x/rsync:/user:secret@host/b'", "Could not find a part of the path '/x/rsync:/user:***@host/b'")]
    public void Url_passwords_are_masked(string text, string expected) => SecretMasker.MaskUrlPasswords(text).Should().Be(expected);

    [TestCase("PASSPHRASE=backup-pass-123 duplicity", "backup-pass-123")]
    [TestCase("export FTP_PASSWORD='a b c'", "a b c")]
    [TestCase("AWS_SECRET_ACCESS_KEY=xyz123", "xyz123")]
    public void Assignments_are_masked(string text, string secret) => new SecretMasker().Mask(text).Should().NotContain(secret);

    [Test]
    public void Registered_values_are_masked_anywhere()
    {
        var m = new SecretMasker();
        m.Register("s3cr3t-value");
        m.Mask("the passphrase s3cr3t-value was wrong").Should().Be("the passphrase *** was wrong");
    }

    [Test]
    public void Url_passwords_registered_from_an_argument_are_masked_bare()
    {
        var m = new SecretMasker();
        m.RegisterUrlPasswords("rsync://backup:p@ss/w0rd@host.example/srv/b");
        m.Mask("archive dir /nonexistent/p@ss/w0rd does not exist").Should().Be("archive dir /nonexistent/*** does not exist");
    }
}
