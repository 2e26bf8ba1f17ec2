using Thaiyyal.Engine.Workflows;

namespace Thaiyyal.Engine.Tests.Nodes.Advanced;

public sealed class SchemaValidatorNodeTests
{
    private readonly NodeHarness _harness = new();

    private async Task<Value> Validate(string schema, string input, bool strict = false) =>
        await _harness.ResultAsync("schema_validator", $$"""{"schema":{{schema}},"strict":{{(strict ? "true" : "false")}}}""", input);

    private static List<(string Field, string Type, string Value)> Errors(Value result) =>
        [.. JsonAssert.Field(result, "errors").AsArray().Select(e => (
            e.AsObject()["field"].AsString(), e.AsObject()["type"].AsString(), e.AsObject()["value"].ToString()))];

    [Fact]
    public async Task A_valid_input_is_returned_as_data()
    {
        JsonAssert.Equal("""{"valid":true,"data":{"name":"Ann"}}""", await Validate("""{"type":"object","properties":{"name":{"type":"string"}}}""", """{"name":"Ann"}"""));
    }

    [Fact]
    public async Task Each_missing_required_property_is_reported_at_the_object()
    {
        var result = await Validate("""{"type":"object","required":["name","email"],"properties":{"age":{"type":"number","minimum":18}}}""", """{"age":15}""");
        Assert.False(JsonAssert.Field(result, "valid").AsBool());
        JsonAssert.Equal("""{"age":15}""", JsonAssert.Field(result, "data"));
        var errors = JsonAssert.Field(result, "errors").AsArray();
        JsonAssert.Equal("""{"field":"(root)","type":"required","description":"name is required","value":{"age":15}}""", errors[0]);
        JsonAssert.Equal("""{"field":"(root)","type":"required","description":"email is required","value":{"age":15}}""", errors[1]);
        JsonAssert.Equal("""{"field":"age","type":"number_gte","description":"Must be greater than or equal to 18","value":15}""", errors[2]);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public async Task Nested_and_array_locations_are_dotted_paths()
    {
        var schema = """{"properties":{"a":{"type":"object","required":["q"],"properties":{"list":{"items":{"type":"string"}}}}}}""";
        var result = await Validate(schema, """{"a":{"list":["x",2,"y",true]}}""");
        Assert.Equal(
            [("a", "required", """{"list":["x",2,"y",true]}"""), ("a.list.1", "invalid_type", "2"), ("a.list.3", "invalid_type", "true")],
            Errors(result));
        var typeError = JsonAssert.Field(result, "errors").AsArray()[1];
        Assert.Equal("Invalid type. Expected: string, given: integer", typeError.AsObject()["description"].AsString());
    }

    [Theory]
    [InlineData("^~", """{"~a":1,"b":2}""", "~a")]
    [InlineData("^a/", """{"a/b":1,"ab":2}""", "a/b")]
    [InlineData(@"^a\/", """{"a/b":1,"ab":2}""", "a/b")]
    [InlineData(@"^a\~", """{"a~b":1,"ab":2}""", "a~b")]
    [InlineData("^a[/~]b$", """{"a/b":1,"a~b":"s","ab":2}""", "a/b")]
    [InlineData(@"^\\~", """{"\\~":1,"~":2}""", "\\~")]
    public async Task Pattern_property_names_with_a_slash_or_a_tilde_are_matched_as_regular_expressions(string pattern, string input, string field)
    {
        // Before: the library failed such a schema with "The given key '^~0' was not present in the dictionary" (found by the fuzzer).
        var schema = "{\"type\":\"object\",\"patternProperties\":{" + System.Text.Json.JsonSerializer.Serialize(pattern) + ":{\"type\":\"string\"}}}";
        var result = await Validate(schema, input);
        Assert.Equal([(field, "invalid_type")], Errors(result).Select(e => (e.Field, e.Type)));
        Assert.Equal("Invalid type. Expected: string, given: integer", JsonAssert.Field(result, "errors").AsArray()[0].AsObject()["description"].AsString());
    }

    [Fact]
    public async Task Errors_under_property_names_with_a_slash_or_a_tilde_name_the_expected_type()
    {
        var result = await Validate("""{"definitions":{"x/y":{"type":"string"}},"properties":{"a/b":{"type":"string"},"~c":{"$ref":"#/definitions/x~1y"},"d~1":{"type":"boolean"}}}""",
            """{"a/b":1,"~c":2,"d~1":3}""");
        Assert.Equal(
            ["a/b: Invalid type. Expected: string, given: integer", "d~1: Invalid type. Expected: boolean, given: integer",
             "~c: Invalid type. Expected: string, given: integer"],
            JsonAssert.Field(result, "errors").AsArray().Select(e => e.AsObject()["field"].AsString() + ": " + e.AsObject()["description"].AsString()));
    }

    [Fact]
    public async Task Each_missing_property_dependency_is_reported_beside_a_failed_dependent_schema()
    {
        var result = await Validate("""{"dependencies":{"ab":["z","w"],"cd":{"required":["y"]},"ef":["q"]}}""", """{"ab":1,"cd":2,"w":3}""");
        Assert.Equal(["missing_dependency: Has a dependency on z", "required: y is required"],
            JsonAssert.Field(result, "errors").AsArray().Select(e => e.AsObject()["type"].AsString() + ": " + e.AsObject()["description"].AsString()));
    }

    [Theory]
    [InlineData("""{"$ref":"#"}""", "# -> #")]
    [InlineData("""{"allOf":[{"$ref":"#"}]}""", "# -> #/allOf/0 -> #")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2020-12/schema","$dynamicRef":"#"}""", "# -> #")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2020-12/schema","$anchor":"top","not":{"$ref":"#top"}}""", "# -> #/not -> #")]
    [InlineData("""{"$id":"http://x.example/root","anyOf":[{"$ref":"root"}]}""", "# -> #/anyOf/0 -> #")]
    [InlineData("""{"definitions":{"x":{"$ref":"#/definitions/y"},"y":{"oneOf":[{"$ref":"#/definitions/x"}]}},"$ref":"#/definitions/x"}""",
        "#/definitions/x -> #/definitions/y -> #/definitions/y/oneOf/0 -> #/definitions/x")]
    public async Task A_reference_cycle_that_never_moves_into_the_input_fails_the_node_instead_of_the_process(string schema, string loop)
    {
        // The library followed these until the stack overflowed, which ends the whole process.
        var failure = await _harness.FailureAsync("schema_validator", $$"""{"schema":{{schema}}}""", """{"a":1}""");
        Assert.Equal($"schema validation failed: reference cycle that never moves into the input: {loop}", failure);
    }

    [Fact]
    public async Task References_that_name_too_many_subschemas_to_check_are_refused_by_name()
    {
        // A thousand subschemas with the same $id, and a thousand different references that each may name all of them.
        var ids = string.Join(",", Enumerable.Range(0, 1000).Select(i => $$"""{"$id":"a","minimum":{{i}}}"""));
        var references = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"$ref":"p{{i}}/a"}"""));
        var schema = "{\"definitions\":{\"all\":[" + ids + "]},\"anyOf\":[" + references + "]}";
        var failure = await _harness.FailureAsync("schema_validator", "{\"schema\":" + schema + "}", "1");
        Assert.Equal("schema validation failed: too many references to check for cycles: they name more than 1000000 subschemas in all", failure);
    }

    [Theory]
    [InlineData("""{"definitions":{"n":{"type":["array","number"],"items":{"$ref":"#/definitions/n"}}},"$ref":"#/definitions/n"}""", "[[[1]]]", "[[[\"x\"]]]")]
    [InlineData("""{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}}""", """{"children":[{"children":[]}]}""", """{"children":[{"children":7}]}""")]
    [InlineData("""{"$id":"http://x.example/root","allOf":[{"$ref":"http://x.example/a"}],"definitions":{"a":{"$id":"http://x.example/a","type":"object"}}}""", "{}", "[]")]
    public async Task Recursive_schemas_that_move_into_the_input_validate(string schema, string valid, string invalid)
    {
        Assert.True(JsonAssert.Field(await Validate(schema, valid), "valid").AsBool());
        Assert.False(JsonAssert.Field(await Validate(schema, invalid), "valid").AsBool());
    }

    [Fact]
    public async Task One_parsed_workflow_validates_correctly_in_many_concurrent_runs()
    {
        // One built schema serves every run of a parsed workflow at once (JsonSchema.Net 7.4.0, tried on 6 December, got
        // some of these wrong: json-everything issue #929).
        var engine = new WorkflowEngine();
        var workflow = engine.Parse("""
            {"nodes":[{"id":"in","type":"text_input","data":{"text":"{\"kind\":\"a\",\"n\":5}"}},{"id":"p","type":"parse","data":{"input_type":"JSON"}},
              {"id":"v","type":"schema_validator","data":{"schema":{"type":"object","if":{"properties":{"kind":{"const":"a"}}},
                "then":{"properties":{"n":{"type":"integer","maximum":3}}},"else":{"properties":{"n":{"type":"string"}}},
                "properties":{"kind":{"enum":["a","b"]}},"required":["kind","n"]}}}],
             "edges":[{"source":"in","target":"p"},{"source":"p","target":"v"}]}
            """);
        var wrong = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 20_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, token) =>
        {
            var run = await engine.ExecuteAsync(workflow, cancellationToken: token);
            var types = run.Error is null ? string.Join(",", JsonAssert.Field(run.FinalOutput, "errors").AsArray().Select(e => e.AsObject()["type"].AsString())) : run.Error.Message;
            if (types != "condition_then,number_lte") Interlocked.Increment(ref wrong);
        });
        Assert.Equal(0, wrong);
    }

    [Theory]
    [InlineData("""{"maximum":3}""", "5", "number_lte")]
    [InlineData("""{"exclusiveMinimum":5}""", "5", "number_gt")]
    [InlineData("""{"exclusiveMaximum":5}""", "5", "number_lt")]
    [InlineData("""{"minimum":3,"exclusiveMinimum":true}""", "3", "number_gt")]
    [InlineData("""{"multipleOf":3}""", "7", "multiple_of")]
    [InlineData("""{"minLength":2}""", "\"a\"", "string_gte")]
    [InlineData("""{"maxLength":2}""", "\"abc\"", "string_lte")]
    [InlineData("""{"pattern":"^a"}""", "\"b\"", "pattern")]
    [InlineData("""{"format":"email"}""", "\"nope\"", "format")]
    [InlineData("""{"enum":["a","b"]}""", "\"c\"", "enum")]
    [InlineData("""{"const":1}""", "2", "const")]
    [InlineData("""{"minItems":2}""", "[1]", "array_min_items")]
    [InlineData("""{"maxItems":1}""", "[1,2]", "array_max_items")]
    [InlineData("""{"uniqueItems":true}""", "[1,2,1]", "unique")]
    [InlineData("""{"minProperties":1}""", "{}", "array_min_properties")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"number"}]}""", "true", "number_any_of")]
    [InlineData("""{"oneOf":[{"type":"number"},{"minimum":0}]}""", "5", "number_one_of")]
    [InlineData("""{"not":{"type":"string"}}""", "\"s\"", "number_not")]
    [InlineData("""{"type":["string","null"]}""", "1", "invalid_type")]
    [InlineData("false", "1", "false")]
    public async Task Error_kinds_follow_the_original_validator(string schema, string input, string type)
    {
        var errors = Errors(await Validate(schema, input));
        Assert.Equal(type, errors[0].Type);
        Assert.Equal("(root)", errors[0].Field);
    }

    [Fact]
    public async Task Descriptions_name_the_limits()
    {
        var result = await Validate("""{"enum":["a",1],"uniqueItems":true}""", "\"c\"");
        Assert.Equal("(root) must be one of the following: \"a\", 1", JsonAssert.Field(result, "errors").AsArray()[0].AsObject()["description"].AsString());
        var unique = await Validate("""{"uniqueItems":true}""", "[1,2,1]");
        Assert.Equal("array items[0,2] must be unique", JsonAssert.Field(unique, "errors").AsArray()[0].AsObject()["description"].AsString());
    }

    [Fact]
    public async Task Any_of_reports_the_closest_branch_after_its_summary()
    {
        var result = await Validate("""{"anyOf":[{"type":"string"},{"type":"number","minimum":10}]}""", "5");
        Assert.Equal([("(root)", "number_any_of", "5"), ("(root)", "number_gte", "5")], Errors(result));
    }

    [Fact]
    public async Task Additional_properties_are_reported_at_the_object_with_the_property_value()
    {
        var result = await Validate("""{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1,"b":"x"}""");
        var error = JsonAssert.Field(result, "errors").AsArray().Single();
        JsonAssert.Equal("""{"field":"(root)","type":"additional_property_not_allowed","description":"Additional property b is not allowed","value":"x"}""", error);
    }

    [Fact]
    public async Task Definitions_and_draft_4_schemas_are_understood()
    {
        var schema = """{"$schema":"http://json-schema.org/draft-04/schema#","id":"urn:x","properties":{"a":{"$ref":"#/definitions/pos"}},"definitions":{"pos":{"minimum":0,"exclusiveMinimum":true}}}""";
        Assert.Equal([("a", "number_gt", "0")], Errors(await Validate(schema, """{"a":0}""")));
    }

    [Fact]
    public async Task Strict_mode_fails_with_the_error_count()
    {
        Assert.Equal("validation failed: 2 errors found",
            await _harness.FailureAsync("schema_validator", """{"strict":true,"schema":{"required":["a","b"]}}""", "{}"));
    }

    [Theory]
    [InlineData("null")]
    public async Task A_null_input_fails(string input)
    {
        Assert.Equal("no input provided for validation", await _harness.FailureAsync("schema_validator", """{"schema":{}}""", input));
        Assert.Equal("no input provided for validation", await _harness.FailureAsync("schema_validator", """{"schema":{}}"""));
    }

    [Theory]
    [InlineData("""{"type":"bogus"}""")]
    [InlineData("""{"minimum":"x"}""")]
    [InlineData("\"not a schema\"")]
    [InlineData("""{"$ref":"http://127.0.0.1:9/remote.json"}""")]
    public async Task An_unusable_schema_fails_when_run(string schema)
    {
        var message = await _harness.FailureAsync("schema_validator", $$"""{"schema":{{schema}}}""", "1");
        Assert.StartsWith("schema validation failed: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_is_required()
    {
        Assert.Equal("missing required field: schema", _harness.Rejection("schema_validator", """{"strict":true}"""));
    }
}
