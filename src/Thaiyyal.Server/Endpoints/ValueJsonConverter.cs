using System.Text.Json.Serialization;

namespace Thaiyyal.Server.Endpoints;

/// <summary>Serialises engine <see cref="Value"/>s in responses with <see cref="ValueJson"/>, the engine's single writer.</summary>
public sealed class ValueJsonConverter : JsonConverter<Value>
{
    public override bool HandleNull => true;

    public override Value Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ValueJson.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, Value value, JsonSerializerOptions options) => ValueJson.Write(writer, value);
}
