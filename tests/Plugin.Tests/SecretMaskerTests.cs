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

    // Issue 15 item 7: each of these showed its secret on today's main.
    [TestCase("sftp://u@example.com:PWat1@host/p", "PWat1")]
    [TestCase("UnsupportedBackendScheme: scheme not supported in url: foo://u@example.com:PWat2@host/p", "PWat2")]
    [TestCase("s3://bucket/p?aws_secret_access_key=PWq1&region=eu", "PWq1")]
    [TestCase("swift://c/p?x=1&auth_token=PWq2", "PWq2")]
    [TestCase("webdavs://h/p;password=PWq3", "PWq3")]
    [TestCase("DUPLICITY_PASSPHRASE=PWa1 duplicity full", "PWa1")]
    [TestCase("export RSYNC_PASSWORD=\"PW a2\"", "PW a2")]
    [TestCase("export SIGN_PASSPHRASE='PWa3'", "PWa3")]
    [TestCase("ftp_password: PWa4", "PWa4")]
    [TestCase("B2_APPLICATION_KEY=PWa5", "PWa5")]
    [TestCase("wrapper --webdav-password PWo1 --x", "PWo1")]
    [TestCase("wrapper --ftp-password=PWo2", "PWo2")]
    public void Secrets_in_every_recognised_form_are_masked(string text, string secret)
        => new SecretMasker().Mask(text).Should().NotContain(secret);

    [Test]
    public void A_user_name_with_an_at_sign_keeps_the_user_and_host()
        => SecretMasker.MaskInPlace("sftp://u@example.com:PW@host/p").Should().Be("sftp://u@example.com:***@host/p");

    [TestCase("--sign-key 0xABCDEF12 --encrypt-key 0x12345678")]
    [TestCase("rsync://user@host:/srv/b")]
    [TestCase("sftp://host:22/srv/b")]
    [TestCase("Errors 0 in the Backup Statistics")]
    [TestCase("passphrase_eof: duplicity asked for the GPG passphrase and got EOF")]
    [TestCase("passphrase_wait: duplicity is waiting for the GPG passphrase")]
    public void Key_ids_and_urls_without_a_password_stay(string text) => new SecretMasker().Mask(text).Should().Be(text);

    [Test]
    public void A_password_learnt_from_a_url_is_masked_bare_in_another_text()
    {
        var m = new SecretMasker();
        m.Learn("duplicity full /srv sftp://u@example.com:pw4Bare@host/p");
        m.Mask("ssh: login with pw4Bare refused").Should().Be("ssh: login with *** refused");
    }

    [Test]
    public void Url_encoded_and_decoded_forms_of_a_password_are_masked()
    {
        var m = new SecretMasker();
        m.Learn("webdavs://u:p%40ss%7Cw0rd@host/p");
        m.Mask("auth failed for p@ss|w0rd").Should().NotContain("w0rd");
        var env = new SecretMasker();
        env.Register("p@ss|w0rd two");
        env.Mask("ftp://u:p%40ss%7cw0rd%20two@h/ and ftp://h/?password=p%40ss%7Cw0rd+two").Should().NotContain("w0rd");
    }

    [Test]
    public void A_passphrase_with_a_pipe_is_masked_before_the_pipe_is_replaced()
    {
        var m = new SecretMasker();
        m.Register("pass|phrase");
        PluginOutput.Sanitise(m.Mask("gpg: pass|phrase rejected")).Should().Be("gpg: *** rejected");
        m.Mask("gpg: pass/phrase rejected").Should().Be("gpg: *** rejected");
    }

    [Test]
    public void Serilog_quoting_does_not_hide_a_secret()
    {
        var m = new SecretMasker();
        m.Register("a\"b\\c-secret");
        m.Mask("stderr: \"a\\\"b\\\\c-secret\"").Should().NotContain("c-secret");
    }

    [TestCase("duplicity full /srv rsync://u:pw@averyveryveryveryverylonghostnamethatgoesonandon.example/srv/b", 30)]
    [TestCase("rsync://u:pw-longer-than-the-cut@host/p", 20)]
    public void A_cut_text_never_keeps_half_a_word(string text, int max)
    {
        var cut = ShortText.Cut(text, max);
        cut.Length.Should().BeLessThanOrEqualTo(max);
        cut.Should().EndWith("...").And.NotContain("pw");
    }
}
