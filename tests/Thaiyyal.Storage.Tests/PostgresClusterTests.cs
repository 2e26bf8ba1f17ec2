using Thaiyyal.TestSupport;

namespace Thaiyyal.Storage.Tests;

public sealed class PostgresClusterTests
{
    [Fact]
    public void Missing_server_binaries_are_a_failure_that_says_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("thaiyyal-no-pg-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => PostgresCluster.FindBinaries(empty));
            Assert.Contains("install Debian's postgresql package", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void The_newest_installed_version_is_chosen()
    {
        var root = Directory.CreateTempSubdirectory("thaiyyal-pg-versions-").FullName;
        try
        {
            foreach (var version in new[] { "9.6", "13", "15", "16-without-initdb" })
            {
                Directory.CreateDirectory(Path.Combine(root, version, "bin"));
                if (!version.Contains("without", StringComparison.Ordinal)) File.WriteAllText(Path.Combine(root, version, "bin", "initdb"), "");
            }
            Assert.Equal(Path.Combine(root, "15", "bin"), PostgresCluster.FindBinaries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
