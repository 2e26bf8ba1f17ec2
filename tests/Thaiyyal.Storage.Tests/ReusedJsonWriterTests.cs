using System.Text;
using System.Text.Json;

namespace Thaiyyal.Storage.Tests;

public sealed class ReusedJsonWriterTests
{
    [Fact]
    public void Each_text_stands_alone_and_a_huge_one_does_not_keep_its_buffer()
    {
        using var text = new ReusedJsonWriter(new JsonWriterOptions(), 1024);
        Assert.Throws<InvalidOperationException>(() => text.Writer);

        text.Start().WriteStringValue("first");
        Assert.Equal("\"first\"", Encoding.UTF8.GetString(text.Finish()));
        text.Start().WriteNumberValue(2);
        Assert.Equal("2", Encoding.UTF8.GetString(text.Finish()));
        Assert.InRange(text.KeptCapacity, 1, ReusedJsonWriter.KeptBytes);

        var huge = new string('x', ReusedJsonWriter.KeptBytes + 1);
        text.Start().WriteStringValue(huge);
        Assert.Equal(huge.Length + 2, text.Finish().Length);
        Assert.Equal(0, text.KeptCapacity);

        text.Start().WriteBooleanValue(true);
        Assert.Equal("true", Encoding.UTF8.GetString(text.Finish()));
    }
}
