#!/usr/bin/env bash
# Deploys ContinuityHub to Azure with the Azure CLI alone (for those without azd): the infrastructure from
# bicep/main.bicep, the secrets in Key Vault, then the Functions app. Safe to re-run: each step converges on the
# same state (resources are updated in place, existing secrets are kept, the app package is replaced).
#
#   infra/deploy.sh [dev|prod]   provision, create missing secrets, publish the app (default: dev)
#   infra/deploy.sh secrets      only create missing secrets (azd's postprovision hook runs this)
#
# The secrets, each created with a random value only when the vault lacks it (app settings reference them):
#   intake-{source}-secret   the webhook secret of each intake source (64 hex characters)
#   graph-token-cache-key    the AES-256 key the notifications account's token cache is encrypted with (Graph__TokenCacheKey)
#   decisions-signing-key    the HMAC key decision links are signed with (Decisions__SigningKey)
# The two keys are `openssl rand -base64 32`. Replacing one has a cost: a new token-cache key makes the stored sign-in
# unreadable (run `hub graph login` again); a new signing key invalidates every decision link already sent.
#
# Environment:
#   RESOURCE_GROUP   the resource group (default rg-continuityhub-<env>; created when missing)
#   LOCATION         region of a new resource group (default swedencentral); it must offer Flex Consumption
#   AZURE_KEY_VAULT_NAME   for `secrets`: the vault (default: the one vault in RESOURCE_GROUP; azd sets it)
#
# Needs: the Azure CLI (2.66 or later) signed in (`az login`) as Owner or User Access Administrator of the group
# (the template assigns roles), the .NET 10 SDK, zip and openssl.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_root
readonly intake_sources=(servicenow jira pagerduty opsgenie azuremonitor generic)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "needs '$1' on PATH: $2"; }

# 64 hex characters from the kernel's CSPRNG.
random_secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# A 256-bit key, base64: what Graph__TokenCacheKey and Decisions__SigningKey expect.
random_key() { openssl rand -base64 32 | tr -d '\n'; }

# Object id and principal type of whoever is signed in to the Azure CLI (a user, or a service principal in CI).
signed_in_principal() {
  if [[ "$(az account show --query user.type -o tsv)" == "user" ]]; then
    printf '%s User\n' "$(az ad signed-in-user show --query id -o tsv)"
  else
    printf '%s ServicePrincipal\n' "$(az ad sp show --id "$(az account show --query user.name -o tsv)" --query id -o tsv)"
  fi
}

# The name of the one resource of a type in the group (the template creates one of each).
resource_name() {
  local group="$1" type="$2" query="${3:-[0].name}"
  az resource list --resource-group "$group" --resource-type "$type" --query "$query" -o tsv
}

# Creates each secret the app settings reference that the vault lacks, with a random value; existing secrets are
# kept, so re-running never changes a secret an ITSM tool is configured with, never breaks the stored sign-in of the
# notifications account and never invalidates a decision link already sent.
ensure_secrets() {
  local vault="$1" vault_id principal principal_type secret_file
  vault_id="$(az keyvault show --name "$vault" --query id -o tsv)"
  read -r principal principal_type < <(signed_in_principal)
  [[ -n "$principal" ]] || die "could not tell who is signed in to the Azure CLI"

  # The vault is in RBAC mode: even the subscription's Owner needs a data role to write secrets.
  log "Granting you Key Vault Secrets Officer on $vault (writes secrets; the hub itself only reads them)"
  az role assignment create --assignee-object-id "$principal" --assignee-principal-type "$principal_type" \
    --role "Key Vault Secrets Officer" --scope "$vault_id" -o none

  log "Waiting for the role to reach Key Vault"
  local attempt
  for attempt in $(seq 1 30); do
    az keyvault secret list --vault-name "$vault" -o none 2>/dev/null && break
    ((attempt < 30)) || die "no access to the secrets of $vault after 5 minutes; check the role assignment"
    sleep 10
  done

  local existing source name generator entry
  # One listing decides what exists: a secret that is there is never written, even if a later call would fail.
  existing="$(az keyvault secret list --vault-name "$vault" --query "[].name" -o tsv)"
  secret_file="$work_dir/secret"
  local -a wanted=()
  for source in "${intake_sources[@]}"; do
    wanted+=("intake-${source}-secret:random_secret")
  done
  wanted+=("graph-token-cache-key:random_key" "decisions-signing-key:random_key")
  for entry in "${wanted[@]}"; do
    name="${entry%%:*}"
    generator="${entry#*:}"
    if grep -qxF "$name" <<<"$existing"; then
      log "$name: present, kept"
      continue
    fi
    # Through a private file, so the value never appears on a command line.
    (umask 077 && "$generator" >"$secret_file")
    az keyvault secret set --vault-name "$vault" --name "$name" --file "$secret_file" --encoding utf-8 -o none ||
      die "could not create $name (if it was deleted recently: az keyvault secret recover --vault-name $vault --name $name)"
    rm -f "$secret_file"
    log "$name: created; read it with: az keyvault secret show --vault-name $vault --name $name --query value -o tsv"
  done
}

provision() {
  local env="$1" group="$2" location="$3"
  if [[ "$(az group exists --name "$group")" == "true" ]]; then
    log "Resource group $group exists"
  else
    log "Creating resource group $group in $location"
    az group create --name "$group" --location "$location" --tags "azd-env-name=continuityhub-$env" -o none
  fi

  log "Deploying bicep/main.bicep with bicep/main.$env.bicepparam (takes a few minutes)"
  az deployment group create --resource-group "$group" --name "continuityhub-$env" \
    --template-file "$repo_root/bicep/main.bicep" --parameters "$repo_root/bicep/main.$env.bicepparam" -o none
}

publish() {
  local group="$1" app="$2" work="$work_dir/publish"

  log "Publishing src/ContinuityHub.Functions (Release)"
  dotnet publish "$repo_root/src/ContinuityHub.Functions" --configuration Release --output "$work/app" --nologo
  (cd "$work/app" && zip -qr "$work/app.zip" .)

  # Flex Consumption takes one deployment path: the package goes to the deployment container (the CLI's
  # config-zip uses it for Flex apps) and the app restarts from it.
  log "Deploying the package to $app"
  az functionapp deployment source config-zip --resource-group "$group" --name "$app" --src "$work/app.zip" -o none
}

main() {
  local env="${1:-dev}"
  need az "install the Azure CLI, then az login"
  # Scratch space (the app package, a secret on its way to Key Vault), removed however the script ends.
  work_dir="$(mktemp -d)"
  trap 'rm -rf "$work_dir"' EXIT

  if [[ "$env" == "secrets" ]]; then
    local vault="${AZURE_KEY_VAULT_NAME:-}"
    if [[ -z "$vault" ]]; then
      [[ -n "${RESOURCE_GROUP:-}" ]] || die "set AZURE_KEY_VAULT_NAME or RESOURCE_GROUP"
      vault="$(resource_name "$RESOURCE_GROUP" Microsoft.KeyVault/vaults)"
    fi
    [[ -n "$vault" ]] || die "no Key Vault found"
    need openssl "install openssl (apt-get install openssl)"
    ensure_secrets "$vault"
    return
  fi

  [[ "$env" == "dev" || "$env" == "prod" ]] || die "unknown environment '$env' (expected dev, prod or secrets)"
  need dotnet "install the .NET 10 SDK"
  need zip "install zip (apt-get install zip)"
  need openssl "install openssl (apt-get install openssl)"
  az account show -o none 2>/dev/null || die "not signed in: run az login"

  local group="${RESOURCE_GROUP:-rg-continuityhub-$env}" location="${LOCATION:-swedencentral}" app vault url
  provision "$env" "$group" "$location"

  app="$(resource_name "$group" Microsoft.Web/sites "[?tags.\"azd-service-name\"=='api'].name | [0]")"
  vault="$(resource_name "$group" Microsoft.KeyVault/vaults)"
  [[ -n "$app" && -n "$vault" ]] || die "the deployment left no Function App or Key Vault in $group"

  ensure_secrets "$vault"
  publish "$group" "$app"

  url="https://$(az functionapp show --resource-group "$group" --name "$app" --query defaultHostName -o tsv)"
  log "Done: $url"
  cat >&2 <<NEXT

Next steps (README, "Deploy to Azure"):
  function key:   az functionapp keys list -g $group -n $app --query functionKeys.default -o tsv
  webhook URL:    $url/api/intake/{source}?code=<function key>
  a source secret: az keyvault secret show --vault-name $vault --name intake-pagerduty-secret --query value -o tsv
  Teams (Graph):  infra/graph-permissions.sh --resource-group $group --notifications-account <UPN>
  Teams app:      infra/teams-app/package.sh --resource-group $group
NEXT
}

main "$@"
