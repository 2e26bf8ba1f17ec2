namespace Thaiyyal.Engine.Tests.Nodes.StateMemory;

public sealed class CacheNodeTests
{
    private readonly NodeHarness _harness = new();

    private static string Workflow(string setTtl, double advanceSeconds, string secondOp = "get") => $$$"""
        {"nodes":[
          {"id":"v","type":"test_value","data":{"value":"payload"}},
          {"id":"put","type":"cache","data":{"cache_op":"set","cache_key":"k"{{{setTtl}}}}},
          {"id":"tick","type":"advance_clock","data":{"seconds":{{{advanceSeconds}}}}},
          {"id":"op","type":"cache","data":{"cache_op":"{{{secondOp}}}","cache_key":"k"}},
          {"id":"get","type":"cache","data":{"cache_op":"get","cache_key":"k"}}],
         "edges":[{"source":"v","target":"put"},{"source":"put","target":"tick"},{"source":"tick","target":"op"},{"source":"op","target":"get"}]}
        """;

    [Fact]
    public async Task Set_then_get_finds_the_value_before_the_ttl_passes()
    {
        var result = await _harness.RunAsync(Workflow(""","ttl":"10s" """, 9.9));
        Assert.True(result.Success, result.Error?.Message);
        JsonAssert.Equal("""{"operation":"set","key":"k","value":"payload","ttl":"10s"}""", result.NodeResults["put"]);
        JsonAssert.Equal("""{"operation":"get","key":"k","found":true,"value":"payload"}""", result.NodeResults["op"]);
    }

    [Fact]
    public async Task An_entry_expires_after_its_ttl()
    {
        var result = await _harness.RunAsync(Workflow(""","ttl":"10s" """, 10));
        JsonAssert.Equal("""{"operation":"get","key":"k","found":false,"value":null}""", result.NodeResults["op"]);
    }

    [Theory]
    [InlineData(299, true)]
    [InlineData(300, false)]
    public async Task The_default_ttl_is_five_minutes_and_is_reported_as_null(double seconds, bool found)
    {
        var result = await _harness.RunAsync(Workflow("", seconds));
        JsonAssert.Equal("""{"operation":"set","key":"k","value":"payload","ttl":null}""", result.NodeResults["put"]);
        Assert.Equal(found, JsonAssert.Field(result.NodeResults["op"], "found").AsBool());
    }

    [Fact]
    public async Task Delete_removes_the_entry_so_a_later_get_misses()
    {
        var result = await _harness.RunAsync(Workflow(""","ttl":"1m" """, 1, "delete"));
        JsonAssert.Equal("""{"operation":"delete","key":"k","deleted":true}""", result.NodeResults["op"]);
        JsonAssert.Equal("""{"operation":"get","key":"k","found":false,"value":null}""", result.NodeResults["get"]);
    }

    [Fact]
    public async Task Delete_of_an_expired_entry_reports_that_none_was_there()
    {
        var result = await _harness.RunAsync(Workflow(""","ttl":"10s" """, 10, "delete"));
        JsonAssert.Equal("""{"operation":"delete","key":"k","deleted":false}""", result.NodeResults["op"]);
    }

    [Fact]
    public async Task Delete_of_an_unknown_key_reports_deleted_false()
    {
        JsonAssert.Equal("""{"operation":"delete","key":"nope","deleted":false}""", await _harness.ResultAsync("cache", """{"cache_op":"delete","cache_key":"nope"}"""));
    }

    [Fact]
    public async Task A_miss_reports_found_false()
    {
        JsonAssert.Equal("""{"operation":"get","key":"","found":false,"value":null}""", await _harness.ResultAsync("cache", """{"cache_op":"get","cache_key":""}"""));
    }

    [Fact]
    public async Task Set_without_input_fails()
    {
        Assert.Equal("cache set operation requires an input value", await _harness.FailureAsync("cache", """{"cache_op":"set","cache_key":"k"}"""));
    }

    [Fact]
    public async Task A_bad_ttl_fails_when_set_runs()
    {
        Assert.Equal("invalid TTL format: invalid duration format: soon (use formats like '5s', '10m', '1h')",
            await _harness.FailureAsync("cache", """{"cache_op":"set","cache_key":"k","ttl":"soon"}""", "1"));
        await _harness.ResultAsync("cache", """{"cache_op":"get","cache_key":"k","ttl":"soon"}""");
    }

    [Fact]
    public async Task A_ttl_in_plain_milliseconds_is_accepted()
    {
        var result = await _harness.RunAsync(Workflow(""","ttl":"1500" """, 1.4));
        Assert.True(JsonAssert.Field(result.NodeResults["op"], "found").AsBool());
    }

    [Fact]
    public async Task An_unknown_operation_fails()
    {
        Assert.Equal("unsupported cache operation: clear (use get, set, or delete)", await _harness.FailureAsync("cache", """{"cache_op":"clear","cache_key":"k"}"""));
    }

    [Theory]
    [InlineData("""{"cache_key":"k"}""", "missing required field: cache_op")]
    [InlineData("""{"cache_op":"get"}""", "missing required field: cache_key")]
    [InlineData("""{"cache_op":"get","cache_key":"k","max_size":2.5}""", "json: cannot unmarshal number 2.5 into Go struct field CacheData.max_size of type int")]
    public void Operation_then_key_are_required(string data, string message)
    {
        Assert.Equal(message, _harness.Rejection("cache", data));
    }
}
