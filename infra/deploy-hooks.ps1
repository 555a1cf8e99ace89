<#
.SYNOPSIS
    The two azd hook steps of infra/deploy.sh, for Windows (PowerShell 7): recover the environment's soft-deleted
    vault before provisioning, create the missing secrets after it.

.DESCRIPTION
    infra/deploy-hooks.ps1 recover-vault   (preprovision) recovers this environment's soft-deleted vault, if there is
                                           one, so that provisioning updates it instead of failing with "vault exists
                                           in deleted state"; its secrets come back with it.
    infra/deploy-hooks.ps1 secrets         (postprovision) creates each secret the app settings reference that the
                                           vault lacks, then makes the app resolve its Key Vault references again and
                                           restarts it.

    The secrets, each created with a random value only when the vault lacks it (existing ones are kept):
      intake-{source}-secret   the webhook secret of each intake source (64 hex characters)
      graph-token-cache-key    the notifications account's token-cache key (base64 of 32 random bytes)
      decisions-signing-key    the decision-link signing key (base64 of 32 random bytes)
    Values go to Key Vault through a private temporary file, never on a command line.

    Reads the values azd passes to hooks: AZURE_ENV_NAME, AZURE_RESOURCE_GROUP, AZURE_KEY_VAULT_NAME,
    AZURE_FUNCTION_APP_NAME, AZURE_SUBSCRIPTION_ID (RESOURCE_GROUP works in place of AZURE_RESOURCE_GROUP; vault and
    app are then found in the group). Needs the Azure CLI, signed in.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)]
    [ValidateSet('secrets', 'recover-vault')]
    [string] $Step
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$IntakeSources = 'servicenow', 'jira', 'pagerduty', 'opsgenie', 'azuremonitor', 'generic', 'alertmanager', 'heartbeat'
# The documented endpoint that makes App Service resolve an app's Key Vault references now instead of within a day.
$ReferencesApi = 'config/configreferences/appsettings'
$ReferencesApiVersion = '2022-03-01'

function Write-Step([string] $Message) { Write-Host "==> $Message" }

# Runs the Azure CLI and returns its standard output as one string; a non-zero exit stops the script.
function Invoke-Az {
    $output = & az @args
    if ($LASTEXITCODE -ne 0) { throw "az $($args[0..1] -join ' ') failed (exit code $LASTEXITCODE)" }
    ($output | Out-String).Trim()
}

function Invoke-AzJson { Invoke-Az @args -o json | ConvertFrom-Json }

# A property of a JSON object, or $null when the object lacks it (strict mode throws on a missing property).
function Get-JsonProperty([object] $Object, [string] $Name) {
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($property) { $property.Value } else { $null }
}

function New-RandomSecret { [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).ToLowerInvariant() }

function New-RandomKey { [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)) }

# The hooks act on the subscription azd deployed to; the Azure CLI has its own notion of the current one.
function Assert-Subscription {
    if (-not $env:AZURE_SUBSCRIPTION_ID) { return }
    $current = Invoke-Az account show --query id -o tsv
    if ($current -ne $env:AZURE_SUBSCRIPTION_ID) {
        throw "the Azure CLI is signed in to subscription $current, the azd environment is in $($env:AZURE_SUBSCRIPTION_ID): run az account set --subscription $($env:AZURE_SUBSCRIPTION_ID)"
    }
}

function Get-ResourceGroup {
    $group = if ($env:AZURE_RESOURCE_GROUP) { $env:AZURE_RESOURCE_GROUP } else { $env:RESOURCE_GROUP }
    if (-not $group) { throw 'set AZURE_RESOURCE_GROUP or RESOURCE_GROUP' }
    $group
}

# Only a vault tagged with this environment (azd-env-name) is recovered, and when a group is known, only one that
# lived there (the vault's name derives from the group, so another group's vault is not in the way).
function Restore-Vault {
    $envName = $env:AZURE_ENV_NAME
    if (-not $envName) { throw 'set AZURE_ENV_NAME (azd sets it for its hooks)' }
    $wantedGroup = if ($env:AZURE_RESOURCE_GROUP) { $env:AZURE_RESOURCE_GROUP } else { $env:RESOURCE_GROUP }
    Write-Step "Looking for a soft-deleted vault of environment $envName"
    $found = $false
    foreach ($deleted in @(Invoke-AzJson keyvault list-deleted --resource-type vault)) {
        $tag = Get-JsonProperty (Get-JsonProperty $deleted.properties 'tags') 'azd-env-name'
        if ($tag -ne $envName) { continue }
        $name = $deleted.name
        $location = $deleted.properties.location
        $group = ($deleted.properties.vaultId -split '/')[4]
        if ($wantedGroup -and $group -ne $wantedGroup) {
            Write-Step "$name (deleted, environment $envName) lived in $group, not $($wantedGroup): left alone"
            continue
        }
        $found = $true
        # Recovery puts the vault back into the group it came from, which `azd down` deleted with everything else.
        if ((Invoke-Az group exists --name $group) -ne 'true') {
            Write-Step "Creating resource group $group in $location for the vault to return to"
            Invoke-Az group create --name $group --location $location --tags "azd-env-name=$envName" -o none | Out-Null
        }
        Write-Step "Recovering soft-deleted vault $name into $group (its secrets come back with it)"
        Invoke-Az keyvault recover --name $name --resource-group $group --location $location -o none | Out-Null
    }
    if (-not $found) { Write-Step "No soft-deleted vault of $($envName): nothing to recover" }
}

# Object id and principal type of whoever is signed in to the Azure CLI (a user, or a service principal in CI).
function Get-SignedInPrincipal {
    if ((Invoke-Az account show --query user.type -o tsv) -eq 'user') {
        return (Invoke-Az ad signed-in-user show --query id -o tsv), 'User'
    }
    $appId = Invoke-Az account show --query user.name -o tsv
    return (Invoke-Az ad sp show --id $appId --query id -o tsv), 'ServicePrincipal'
}

# Writes a value to a file only its owner can read (Windows: the user's own temp folder), for `--file`.
function Write-PrivateFile([string] $Path, [string] $Value) {
    $options = [IO.FileStreamOptions]@{ Mode = [IO.FileMode]::CreateNew; Access = [IO.FileAccess]::Write }
    if (-not $IsWindows) { $options.UnixCreateMode = [IO.UnixFileMode]'UserRead, UserWrite' }
    $stream = [IO.File]::Open($Path, $options)
    try {
        $bytes = [Text.UTF8Encoding]::new($false).GetBytes($Value)
        $stream.Write($bytes, 0, $bytes.Length)
    }
    finally { $stream.Dispose() }
}

# Creates each secret the app settings reference that the vault lacks; existing secrets are kept, so re-running never
# changes a secret an ITSM tool is configured with, never breaks the stored sign-in and never invalidates a link.
function New-MissingSecrets([string] $Vault) {
    $vaultId = Invoke-Az keyvault show --name $Vault --query id -o tsv
    $principal, $principalType = Get-SignedInPrincipal
    if (-not $principal) { throw 'could not tell who is signed in to the Azure CLI' }

    # The vault is in RBAC mode: even the subscription's Owner needs a data role to write secrets.
    Write-Step "Granting you Key Vault Secrets Officer on $Vault (writes secrets; the hub itself only reads them)"
    Invoke-Az role assignment create --assignee-object-id $principal --assignee-principal-type $principalType `
        --role 'Key Vault Secrets Officer' --scope $vaultId -o none | Out-Null

    Write-Step 'Waiting for the role to reach Key Vault'
    for ($attempt = 1; ; $attempt++) {
        & az keyvault secret list --vault-name $Vault -o none 2>$null
        if ($LASTEXITCODE -eq 0) { break }
        if ($attempt -ge 30) { throw "no access to the secrets of $Vault after 5 minutes; check the role assignment" }
        Start-Sleep -Seconds 10
    }

    # One listing decides what exists: a secret that is there is never written, even if a later call would fail.
    $existing = @(Invoke-Az keyvault secret list --vault-name $Vault --query '[].name' -o tsv) -split "`n" | ForEach-Object Trim
    $wanted = [ordered]@{}
    foreach ($source in $IntakeSources) { $wanted["intake-$source-secret"] = { New-RandomSecret } }
    $wanted['graph-token-cache-key'] = { New-RandomKey }
    $wanted['decisions-signing-key'] = { New-RandomKey }

    $scratch = Join-Path ([IO.Path]::GetTempPath()) ("continuityhub-" + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $scratch | Out-Null
    try {
        foreach ($name in $wanted.Keys) {
            if ($existing -contains $name) {
                Write-Step "$($name): present, kept"
                continue
            }
            # Through a private file, so the value never appears on a command line.
            $file = Join-Path $scratch 'secret'
            Write-PrivateFile $file (& $wanted[$name])
            try {
                & az keyvault secret set --vault-name $Vault --name $name --file $file --encoding utf-8 -o none
                if ($LASTEXITCODE -ne 0) {
                    throw "could not create $name (if it was deleted recently: az keyvault secret recover --vault-name $Vault --name $name)"
                }
            }
            finally { Remove-Item -LiteralPath $file -Force }
            Write-Step "$($name): created; read it with: az keyvault secret show --vault-name $Vault --name $name --query value -o tsv"
        }
    }
    finally { Remove-Item -LiteralPath $scratch -Recurse -Force }
}

# Makes the app resolve its Key Vault references now (App Service otherwise keeps a value it could not resolve for up
# to a day) and restarts it. While the app's own role on the vault propagates, the references are refreshed again for
# a minute, then whatever is still unresolved is named.
function Update-References([string] $Group, [string] $App) {
    $siteId = Invoke-Az functionapp show --resource-group $Group --name $App --query id -o tsv
    if (-not $siteId) { throw "no Function App $App in $Group" }
    $unresolved = @()
    for ($attempt = 1; $attempt -le 6; $attempt++) {
        Write-Step "Making $App resolve its Key Vault references again"
        Invoke-Az rest --method post --uri "$siteId/$ReferencesApi/refresh?api-version=$ReferencesApiVersion" -o none | Out-Null
        $references = Invoke-AzJson rest --method get --uri "$siteId/$($ReferencesApi)?api-version=$ReferencesApiVersion"
        # The write-back tokens (writeback-{source}-token) are the platform engineer's to set: not waited for.
        $unresolved = @(Get-JsonProperty $references 'value' | Where-Object { (Get-JsonProperty $_.properties 'status') -ne 'Resolved' -and -not ([string]$_.name).StartsWith('Reactions__') } | ForEach-Object name)
        if ($unresolved.Count -eq 0) { break }
        if ($attempt -lt 6) {
            Write-Step "Not resolved yet: $($unresolved -join ' ') (the app's role on the vault may still be propagating); again in 10 seconds"
            Start-Sleep -Seconds 10
        }
    }
    if ($unresolved.Count -gt 0) {
        Write-Warning "still unresolved: $($unresolved -join ' ') - run infra/deploy-hooks.ps1 secrets again in a few minutes"
    }
    Write-Step "Restarting $App so it starts with the resolved values"
    Invoke-Az functionapp restart --resource-group $Group --name $App -o none | Out-Null
}

function Invoke-SecretsStep {
    $group = Get-ResourceGroup
    $vault = if ($env:AZURE_KEY_VAULT_NAME) { $env:AZURE_KEY_VAULT_NAME } else {
        Invoke-Az resource list --resource-group $group --resource-type Microsoft.KeyVault/vaults --query '[0].name' -o tsv
    }
    $app = if ($env:AZURE_FUNCTION_APP_NAME) { $env:AZURE_FUNCTION_APP_NAME } else {
        @(Invoke-AzJson resource list --resource-group $group --resource-type Microsoft.Web/sites) |
            Where-Object { (Get-JsonProperty (Get-JsonProperty $_ 'tags') 'azd-service-name') -eq 'api' } |
            Select-Object -First 1 -ExpandProperty name
    }
    if (-not $vault) { throw "no Key Vault found in $group" }
    if (-not $app) { throw "no Function App tagged azd-service-name=api in $group" }
    New-MissingSecrets $vault
    Update-References $group $app
}

try {
    if (-not (Get-Command az -ErrorAction SilentlyContinue)) { throw "needs the Azure CLI ('az') on PATH, signed in (az login)" }
    Assert-Subscription
    switch ($Step) {
        'recover-vault' { Restore-Vault }
        'secrets' { Invoke-SecretsStep }
    }
}
catch {
    # One plain line, like deploy.sh, rather than PowerShell's error record.
    [Console]::Error.WriteLine("deploy-hooks.ps1: $($_.Exception.Message)")
    exit 1
}
