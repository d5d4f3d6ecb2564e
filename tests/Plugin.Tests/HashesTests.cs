using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Plugin.Tests;

/// <summary>The managed MD5 and SHA-256 give the framework's (OpenSSL's) digests: published vectors and random input of every padding length.</summary>
public class HashesTests
{
    [TestCase("", "d41d8cd98f00b204e9800998ecf8427e")]
    [TestCase("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [TestCase("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6")]
    [TestCase("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Md5_vectors(string text, string expected) => Hashes.Md5Hex(Encoding.ASCII.GetBytes(text)).Should().Be(expected);

    [TestCase("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [TestCase("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Sha256_vectors(string text, string expected) => Hashes.Sha256Hex(Encoding.ASCII.GetBytes(text)).Should().Be(expected);

    [Test]
    public void Random_inputs_of_every_length_up_to_300_bytes_and_a_large_one_match_the_framework()
    {
        var random = new Random(6);
        foreach (var length in Enumerable.Range(0, 301).Append(100_000))
        {
            var data = new byte[length];
            random.NextBytes(data);
            Hashes.Md5(data).Should().Equal(MD5.HashData(data), $"MD5 of {length} bytes");
            Hashes.Sha256(data).Should().Equal(SHA256.HashData(data), $"SHA-256 of {length} bytes");
        }
    }
}
