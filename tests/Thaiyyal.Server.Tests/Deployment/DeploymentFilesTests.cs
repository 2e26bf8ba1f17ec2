using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Thaiyyal.Engine.Tests.Conformance;
using Thaiyyal.Server.Configuration;
using YamlDotNet.RepresentationModel;

namespace Thaiyyal.Server.Tests.Deployment;

/// <summary>
/// What can be checked here of the deployment files (Docker cannot run on this machine): they parse, they name
/// the same objects, ports, probes and variables as the server and the operations guide, and the dashboards ask
/// the guide's queries.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = ConformanceCases.RepositoryRoot();

    private static string PathOf(string relative) => Path.Combine(Root, relative);

    private static List<YamlMappingNode> YamlDocuments(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(PathOf(relative)));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node)[key];
        return ((YamlScalarNode)node).Value!;
    }

    [Fact]
    public void Every_yaml_and_json_file_parses()
    {
        foreach (var file in Directory.EnumerateFiles(PathOf("deployments"), "*.*", SearchOption.AllDirectories).Append(PathOf("docker-compose.yml")))
        {
            if (file.EndsWith(".json", StringComparison.Ordinal)) Assert.NotNull(JsonNode.Parse(File.ReadAllText(file)));
            else if (file.EndsWith(".yml", StringComparison.Ordinal) || file.EndsWith(".yaml", StringComparison.Ordinal))
                Assert.NotEmpty(YamlDocuments(Path.GetRelativePath(Root, file)));
        }
    }

    [Fact]
    public void The_kubernetes_manifest_has_the_guide_objects_probes_and_every_variable()
    {
        var docs = YamlDocuments("deployments/kubernetes/deployment.yaml");
        var kinds = docs.Select(d => Scalar(d, "kind")).ToList();
        Assert.Equal(["Namespace", "ConfigMap", "ServiceAccount", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"], kinds);
        Assert.All(docs.Skip(1), d => Assert.Equal("thaiyyal", Scalar(d, "metadata", "namespace")));

        var config = (YamlMappingNode)docs.Single(d => Scalar(d, "kind") == "ConfigMap")["data"];
        foreach (var variable in new[] { "SERVER_ADDR", "LOG_LEVEL", "THAIYYAL_PROFILE", "TRUSTED_PROXIES" })
            Assert.True(config.Children.ContainsKey(variable), $"ConfigMap lacks {variable}");
        // Nothing a profile sets is pinned, or changing THAIYYAL_PROFILE would silently do nothing.
        var profileVariables = SettingDefinitions.Profiles.Values.SelectMany(p => p.Keys)
            .Select(flag => SettingDefinitions.All.Single(d => d.Flag == flag).EnvironmentVariable).ToHashSet();
        Assert.All(config.Children.Keys, k => Assert.DoesNotContain(((YamlScalarNode)k).Value, profileVariables));
        var known = SettingDefinitions.All.Select(d => d.EnvironmentVariable).ToHashSet();
        Assert.All(config.Children.Keys, k => Assert.Contains(((YamlScalarNode)k).Value, known));
        var ok = ServerSettingsLoader.Load([], config.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!));
        Assert.Null(ok.Error);

        var deployment = docs.Single(d => Scalar(d, "kind") == "Deployment");
        Assert.Equal("thaiyyal-server", Scalar(deployment, "metadata", "name"));
        var pod = (YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"]["spec"];
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Children[0];
        Assert.Equal("thaiyyal-server", Scalar(container, "name"));
        Assert.Equal("thaiyyal-config", Scalar(((YamlSequenceNode)container["envFrom"]).Children[0], "configMapRef", "name"));
        // Arguments would override the ConfigMap's environment (flags win), so the manifest passes none.
        Assert.False(container.Children.ContainsKey("args"));
        Assert.Equal("/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(pod, "automountServiceAccountToken"));
        // The data directory is a mounted volume (the root file system is read-only); PostgreSQL comes from an optional Secret.
        Assert.Equal("/data", ok.Settings!.Store.DataDirectory);
        Assert.Contains(((YamlSequenceNode)container["volumeMounts"]).Children, m => Scalar(m, "mountPath") == "/data");
        Assert.Contains(((YamlSequenceNode)container["env"]).Children, e => Scalar(e, "name") == "DATABASE_URL"
            && Scalar(e, "valueFrom", "secretKeyRef", "optional") == "true");
        var grace = int.Parse(Scalar(pod, "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        var drain = ok.Settings!.DrainDelay + ok.Settings.ShutdownTimeout;
        Assert.True(grace > drain.TotalSeconds, $"terminationGracePeriodSeconds {grace} must exceed drain + shutdown {drain}");
        Assert.Equal("2", Scalar(docs.Single(d => Scalar(d, "kind") == "PodDisruptionBudget"), "spec", "minAvailable"));
    }

    [Fact]
    public void Blue_green_files_use_the_version_label_the_guide_patches()
    {
        var v1Service = YamlDocuments("deployments/kubernetes/deployment.yaml").Single(d => Scalar(d, "kind") == "Service");
        Assert.Equal("v1", Scalar(v1Service, "spec", "selector", "version"));
        var v2 = YamlDocuments("deployments/kubernetes/deployment-v2.yaml");
        Assert.Equal("thaiyyal-server-v2", Scalar(v2.Single(d => Scalar(d, "kind") == "Deployment"), "metadata", "name"));
        Assert.Equal("v2", Scalar(v2.Single(d => Scalar(d, "kind") == "Deployment"), "spec", "template", "metadata", "labels", "version"));
        Assert.Equal("thaiyyal-server-v2", Scalar(v2.Single(d => Scalar(d, "kind") == "Service"), "metadata", "name"));
        Assert.Equal("ServiceMonitor", Scalar(YamlDocuments("deployments/kubernetes/servicemonitor.yaml")[0], "kind"));
    }

    [Fact]
    public void Compose_runs_the_three_services_with_the_guide_ports()
    {
        var compose = YamlDocuments("docker-compose.yml")[0];
        var services = (YamlMappingNode)compose["services"];
        Assert.Equal(["thaiyyal-server", "postgres", "prometheus", "alertmanager", "grafana"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        // PostgreSQL only when asked for (--profile postgres); the server keeps its SQLite store in a volume.
        Assert.Equal("postgres", ((YamlScalarNode)((YamlSequenceNode)services["postgres"]["profiles"]).Children[0]).Value);
        Assert.Equal("thaiyyal-data:/data", ((YamlScalarNode)((YamlSequenceNode)services["thaiyyal-server"]["volumes"]).Children[0]).Value);
        // docker stop's grace covers the default drain + shutdown timeline.
        var defaults = ServerSettingsLoader.Load([], new Dictionary<string, string>()).Settings!;
        var grace = Scalar(services["thaiyyal-server"], "stop_grace_period");
        Assert.True(GoDurationSeconds(grace) > (defaults.DrainDelay + defaults.ShutdownTimeout).TotalSeconds, $"stop_grace_period {grace}");
        Assert.True((defaults.DrainDelay + defaults.ShutdownTimeout).TotalSeconds < 10, "defaults must fit docker's default 10 s");
        var prometheus = YamlDocuments("deployments/prometheus/prometheus.yml")[0];
        Assert.True(((YamlMappingNode)prometheus).Children.ContainsKey("alerting"));
        Assert.Contains("\"alertmanager:9093\"", File.ReadAllText(PathOf("deployments/prometheus/prometheus.yml")), StringComparison.Ordinal);
        Assert.Equal("3001:3000", ((YamlScalarNode)((YamlSequenceNode)services["grafana"]["ports"]).Children[0]).Value);
        // A port range, so that --scale thaiyyal-server=5 can publish every replica.
        Assert.StartsWith("8080-", ((YamlScalarNode)((YamlSequenceNode)services["thaiyyal-server"]["ports"]).Children[0]).Value, StringComparison.Ordinal);
        foreach (var service in services.Children.Values.OfType<YamlMappingNode>())
        {
            if (service.Children.TryGetValue("image", out var image) && service.Children.ContainsKey("build") is false)
                Assert.DoesNotMatch(":latest$", ((YamlScalarNode)image).Value!);
        }
        Assert.True(File.Exists(PathOf("deployments/grafana/grafana.env")));
        Assert.True(File.Exists(PathOf("deployments/prometheus/alerts.yml")));
    }

    [Fact]
    public void The_dockerfile_keeps_the_guide_port_healthcheck_user_and_entrypoint()
    {
        var dockerfile = File.ReadAllText(PathOf("Dockerfile"));
        Assert.Contains("EXPOSE 8080", dockerfile, StringComparison.Ordinal);
        Assert.Contains("http://localhost:8080/health/live", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER 1000:1000", dockerfile, StringComparison.Ordinal);
        Assert.Contains("THAIYYAL_DATA_DIR=/data", dockerfile, StringComparison.Ordinal);
        Assert.Contains("VOLUME /data", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY src/Thaiyyal.Storage/ src/Thaiyyal.Storage/", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENV SERVER_ADDR=:8080", dockerfile, StringComparison.Ordinal);
        Assert.Contains("STOPSIGNAL SIGTERM", dockerfile, StringComparison.Ordinal);
        // A CMD with flags would override SERVER_ADDR and friends given with docker run -e.
        Assert.DoesNotContain("CMD [\"-", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-p:SkipWebBuild=true", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?m)^FROM [^ ]+:latest", dockerfile);
    }

    [Fact]
    public void There_are_four_dashboards_and_they_ask_every_query_of_the_guide()
    {
        var titles = Dashboards().Select(d => d["title"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["HTTP Call Statistics", "Node Performance Analysis", "System Health", "Workflow Execution Overview"], titles);
        var queries = DashboardQueries().ToHashSet();
        foreach (var query in GuideQueries()) Assert.Contains(query, queries);
    }

    /// <summary>The PromQL lines of docs/operations.md's <c>promql</c> blocks.</summary>
    public static IReadOnlyList<string> GuideQueries()
    {
        var doc = File.ReadAllText(PathOf("docs/operations.md"));
        var queries = PromqlBlock().Matches(doc).SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.NotEmpty(queries);
        return queries;
    }

    public static IEnumerable<JsonNode> Dashboards() =>
        Directory.EnumerateFiles(PathOf("deployments/grafana/dashboards"), "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!);

    public static IEnumerable<string> DashboardQueries() =>
        Dashboards().SelectMany(d => d["panels"]!.AsArray()).SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>());

    /// <summary>Alert expressions without their threshold comparison (the part that must return data).</summary>
    public static IEnumerable<string> AlertQueries()
    {
        var rules = YamlDocuments("deployments/prometheus/alerts.yml")[0];
        foreach (var group in ((YamlSequenceNode)rules["groups"]).Children.OfType<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Children.OfType<YamlMappingNode>())
                yield return Threshold().Replace(Scalar(rule, "expr"), "");
        }
    }

    [GeneratedRegex(@"```promql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PromqlBlock();

    [GeneratedRegex(@"\s*(>|<|==|!=|>=|<=)\s*[0-9.]+\s*$")]
    private static partial Regex Threshold();

    // Compose durations ("20s", "1m30s"): units h, m, s, ms.
    private static double GoDurationSeconds(string text)
    {
        var parts = DurationPart().Matches(text);
        if (parts.Count == 0 || string.Concat(parts.Select(p => p.Value)) != text) throw new FormatException(text);
        return parts.Sum(p => double.Parse(p.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * p.Groups[2].Value switch
        {
            "h" => 3600, "m" => 60, "s" => 1, _ => 0.001,
        });
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(h|ms|m|s)")]
    private static partial Regex DurationPart();
}
