using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Thaiyyal.Engine.Nodes.Advanced;

/// <summary><c>schema_validator</c>: checks its input against a JSON Schema (draft 4, 6 or 7; 2019-09 and 2020-12 too).</summary>
internal sealed class SchemaValidatorNode : NodeExecutor<SchemaValidatorNode.Options>
{
    /// <summary>The schema as given, the built validator (or why it could not be built), and strictness.</summary>
    public sealed record Options(Value Schema, JsonSchema? Validator, string? SchemaError, bool Strict)
    {
        /// <summary>The schema's <c>pattern</c> and <c>patternProperties</c> regexes, with a match timeout.</summary>
        internal SchemaPatterns Patterns { get; } = SchemaPatterns.Collect(Schema);
    }

    public override NodeDescriptor Descriptor { get; } = new("schema_validator", NodeCategories.Advanced, "Schema Validator",
        "Validates the input against a JSON Schema and reports each problem; strict mode fails the run instead.",
        [
            new NodeField("schema", FieldType.Any, "Schema", "The JSON Schema (draft 4, 6 or 7 keywords; draft 7 when $schema is absent).", Required: true,
                Default: ValueObject.Of(("type", "object"))),
            new NodeField("strict", FieldType.Boolean, "Strict", "Fail the run when the input is invalid.", Default: false),
        ])
    {
        EditorDefaults = ValueObject.Of(("schema", ValueObject.Of(("type", "object"))), ("strict", false)),
    };

    protected override bool IsIndependent(Options options) => true;

    // The schema is built once per decode; a schema that cannot be built fails when the node runs, as in the original.
    protected override Options BindOptions(NodeData data)
    {
        var schema = SchemaRewrite.Upgrade(data.Get("schema"));
        var strict = data.Bool("strict") ?? false;
        if (SchemaCycles.Find(schema) is { } unsafeSchema) return new(schema, null, unsafeSchema, strict);
        try
        {
            using var document = JsonDocument.Parse(ValueJson.Serialize(schema));
            var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
            return new(schema, JsonSchema.Build(document.RootElement.Clone(), options), null, strict);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(schema, null, ex.Message, strict);
        }
    }

    protected override ValueTask<Value> ExecuteAsync(NodeContext context, Options options)
    {
        var input = context.Input;
        if (input.IsNull) throw new NodeExecutionException("no input provided for validation");
        if (options.Validator is null) throw new NodeExecutionException($"schema validation failed: {options.SchemaError}");
        options.Patterns.Screen(input, context.CancellationToken);
        EvaluationResults results;
        try
        {
            using var document = JsonDocument.Parse(ValueJson.Serialize(input));
            results = options.Validator.Evaluate(document.RootElement, new EvaluationOptions
            {
                OutputFormat = OutputFormat.Hierarchical,
                RequireFormatValidation = true,
            });
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw SchemaPatterns.TimedOut(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unresolvable $refs (nothing is fetched), bad patterns and the like: the schema is unusable.
            throw new NodeExecutionException($"schema validation failed: {ex.Message}");
        }
        if (results.IsValid) return new(ValueObject.Of(("valid", true), ("data", input)));
        var errors = new SchemaErrorReport(options.Schema, input).Collect(results);
        if (options.Strict) throw new NodeExecutionException($"validation failed: {errors.Count} errors found");
        return new(ValueObject.Of(("valid", false), ("data", input), ("errors", new ValueArray(errors.Select(e => e.ToValue())))));
    }
}
