using Thaiyyal.Server.Configuration;

namespace Thaiyyal.Server.Tests.Configuration;

/// <summary>
/// Every setting given hostile values, as flags and as environment variables, several at a time: the loader answers
/// with settings or with a message (exit 2), never with an exception, so a mistyped value stops the server with a
/// sentence instead of a stack trace.
/// </summary>
public sealed class SettingsFuzzTests
{
    private static readonly string[] Values =
    [
        "", " ", "0", "-1", "1", "2147483648", "-9223372036854775809", "1e999", "NaN", "0.5", "1h", "-5s", "9999999999h", "5m0s",
        "1.5ms", "abc", "true", "false", "yes", ":", ":0", ":99999", "127.0.0.1:-1", "[::1]:8080", "[::1", "http://x", "postgres://",
        "postgres://u:p@h:99999/db", "Host=;Port=x", "a,b,,c", ",", "10.0.0.0/33", "::/129", "*", "%00", "\u0000", "é", new string('9', 400),
        "all", "off", "failures", "api", "worker", "json", "text", "debug", "strict", "development", "production", "disabled", "api-key",
        "/nonexistent/dir/file", "../../etc/passwd", "AAAA", "not-base64!", Convert.ToBase64String(new byte[16]),
    ];

    [Fact]
    public void Any_values_of_any_settings_give_settings_or_a_message_never_an_exception()
    {
        var random = new Random(20_261_205);
        var (loaded, refused) = (0, 0);
        for (var i = 0; i < 20_000; i++)
        {
            var args = new List<string>();
            var environment = new Dictionary<string, string>();
            for (var k = 0; k < 1 + random.Next(4); k++)
            {
                var setting = SettingDefinitions.All[random.Next(SettingDefinitions.All.Count)];
                var value = Values[random.Next(Values.Length)];
                if (random.Next(2) == 0 && setting.EnvironmentVariable is { } variable) environment[variable] = value;
                else if (setting.IsBoolean && random.Next(2) == 0) args.Add("-" + setting.Flag);
                else if (random.Next(4) == 0) args.Add($"-{setting.Flag}={value}");
                else args.AddRange(["-" + setting.Flag, value]);
            }
            if (random.Next(20) == 0) args.Add(Values[random.Next(Values.Length)]);
            SettingsLoadResult result;
            try
            {
                result = ServerSettingsLoader.Load(args, environment);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name}: {ex.Message}\nargs: {string.Join(' ', args)}\nenvironment: {string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}"))}");
                return;
            }
            if (result.Settings is not null) loaded++;
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error), string.Join(' ', args));
                refused++;
            }
        }
        Assert.True(loaded > 1_000 && refused > 1_000, $"loaded {loaded}, refused {refused}");
    }
}
