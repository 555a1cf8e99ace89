using System.Diagnostics;
using System.Text;
using ContinuityHub.Testing;

namespace ContinuityHub.Functions.Tests.Deployment;

/// <summary>One program a script ran: its name (<c>az</c>, or a stub such as <c>sleep</c>) and its arguments.</summary>
public sealed record ProgramCall(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The arguments joined by spaces, as a person reads a command line.</summary>
    public string CommandLine => string.Join(' ', Arguments);

    public bool Is(string program, params string[] leading) =>
        Program == program && Arguments.Count >= leading.Length && leading.Select((a, i) => Arguments[i] == a).All(same => same);

    /// <summary>The value after an option (<c>--name</c>), null when the option is absent.</summary>
    public string? Option(string name)
    {
        var index = Arguments.ToList().IndexOf(name);
        return index >= 0 && index + 1 < Arguments.Count ? Arguments[index + 1] : null;
    }

    public override string ToString() => $"{Program} {CommandLine}";
}

/// <summary>What a script run printed and how it ended.</summary>
public sealed record ScriptRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}{StandardOutput}{StandardError}";
}

/// <summary>
/// A temporary folder holding a stand-in <c>az</c> (Deployment/FakeAz/az, a bash script) and any other stubs, put first
/// on PATH of the scripts the tests run for real under bash or PowerShell. It logs every call, keeps the vault's
/// secrets (created with <c>--file</c>) as files, and answers the rest from rules the test gives; a call no rule
/// answers fails, so a script asking something unexpected fails its test.
/// </summary>
public sealed class FakeAzureCli : IDisposable
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(2);

    /// <summary>What the scripts find in the environment, cleared so that the machine's own values never leak in.</summary>
    private static readonly string[] _clearedVariables =
    [
        "AZURE_ENV_NAME", "AZURE_RESOURCE_GROUP", "AZURE_KEY_VAULT_NAME", "AZURE_FUNCTION_APP_NAME", "AZURE_SUBSCRIPTION_ID",
        "AZURE_LOCATION", "RESOURCE_GROUP", "LOCATION",
    ];

    private readonly string _bin;
    private readonly StringBuilder _rules = new();
    private int _answers;

    public FakeAzureCli()
    {
        Directory = Path.Combine(Path.GetTempPath(), "continuityhub-fake-az-" + Guid.NewGuid().ToString("N"));
        _bin = Path.Combine(Directory, "bin");
        System.IO.Directory.CreateDirectory(_bin);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "answers"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "secrets"));
        File.WriteAllText(Path.Combine(Directory, "calls"), string.Empty);
        File.WriteAllText(Path.Combine(Directory, "rules"), string.Empty);
        var az = Path.Combine(_bin, "az");
        File.Copy(Path.Combine(AzuriteFixture.RepositoryRoot, "tests", "ContinuityHub.Functions.Tests", "Deployment", "FakeAz", "az"), az);
        MakeExecutable(az);
    }

    public string Directory { get; }

    /// <summary>Answers calls whose arguments, joined by spaces, match the bash glob <paramref name="pattern"/>.</summary>
    /// <param name="times">How many calls the rule answers before later rules take over; null: every call.</param>
    public FakeAzureCli Answer(string pattern, string output = "", int exitCode = 0, int? times = null)
    {
        var answer = $"{++_answers}";
        File.WriteAllText(Path.Combine(Directory, "answers", answer), output.Length == 0 || output.EndsWith('\n') ? output : output + "\n");
        _rules.Append(pattern).Append('\t').Append(exitCode).Append('\t').Append(answer).Append('\t').Append(times?.ToString() ?? string.Empty).Append('\n');
        File.WriteAllText(Path.Combine(Directory, "rules"), _rules.ToString());
        return this;
    }

    /// <summary>A secret the vault holds already.</summary>
    public FakeAzureCli Secret(string name, string value)
    {
        File.WriteAllText(Path.Combine(Directory, "secrets", name), value);
        return this;
    }

    /// <summary>Key Vault refuses the next <paramref name="count"/> <c>keyvault secret list</c> calls (403), as it does until a new role assignment reaches it.</summary>
    public FakeAzureCli RefuseSecretListing(int count)
    {
        File.WriteAllText(Path.Combine(Directory, "secret-list-failures"), $"{count}");
        return this;
    }

    /// <summary>The value the vault holds for a secret, null when it has none.</summary>
    public string? SecretValue(string name)
    {
        var file = Path.Combine(Directory, "secrets", name);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    /// <summary>The names of the secrets the vault holds.</summary>
    public IReadOnlyList<string> SecretNames() =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "secrets")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>A stub executable on PATH (such as <c>sleep</c>, so retry loops do not wait) that logs its calls like <c>az</c> and runs <paramref name="body"/>.</summary>
    public FakeAzureCli Stub(string program, string body = "exit 0")
    {
        var path = Path.Combine(_bin, program);
        File.WriteAllText(path, $$"""
            #!/usr/bin/env bash
            { printf '{{program}}\x1f'; for argument in "$@"; do printf '%s\x1f' "$argument"; done; printf '\n'; } >>"$FAKE_AZ_DIR/calls"
            {{body}}

            """);
        MakeExecutable(path);
        return this;
    }

    /// <summary>Every call made so far, in order.</summary>
    public IReadOnlyList<ProgramCall> Calls() =>
        File.ReadAllLines(Path.Combine(Directory, "calls"))
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\x1f'))
            .Select(fields => new ProgramCall(fields[0], fields[1..^1]))
            .ToList();

    /// <summary>The calls of <c>az</c>.</summary>
    public IReadOnlyList<ProgramCall> AzCalls() => Calls().Where(c => c.Program == "az").ToList();

    /// <summary>Runs a program (bash, sh, dotnet) in the repository root with the fake first on PATH and only <paramref name="environment"/> of the Azure variables.</summary>
    public async Task<ScriptRun> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = AzuriteFixture.RepositoryRoot };
        foreach (var name in _clearedVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["FAKE_AZ_DIR"] = Directory;
        start.Environment["PATH"] = _bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";

        var run = await ProcessRun.RunAsync(start, _timeout, cancellationToken);
        return new ScriptRun(run.ExitCode, run.StandardOutput, run.StandardError);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
