#!/usr/bin/env bash
# Deploys ContinuityHub to Azure with the Azure CLI alone (for those without azd): the infrastructure from
# bicep/main.bicep, the secrets in Key Vault, then the Functions app. Safe to re-run: each step converges on the
# same state (resources are updated in place, existing secrets are kept, the app package is replaced).
#
#   infra/deploy.sh [dev|prod]     recover the vault if deleted, provision, create missing secrets, make the app
#                                  re-read them, publish the app (default: dev)
#   infra/deploy.sh secrets        create missing secrets, then make the app re-read its Key Vault references and
#                                  restart it (azd's postprovision hook on Linux and macOS)
#   infra/deploy.sh recover-vault  recover this environment's soft-deleted vault, if there is one (azd's
#                                  preprovision hook on Linux and macOS)
# infra/deploy-hooks.ps1 does the same two hook steps in PowerShell 7 (azd's hooks on Windows).
#
# The secrets, each created with a random value only when the vault lacks it (app settings reference them):
#   intake-{source}-secret   the webhook secret of each intake source (64 hex characters)
#   graph-token-cache-key    the AES-256 key the notifications account's token cache is encrypted with (Graph__TokenCacheKey)
#   decisions-signing-key    the HMAC key decision links are signed with (Decisions__SigningKey)
# The two keys are base64 of 32 random bytes. Replacing one has a cost: a new token-cache key makes the stored sign-in
# unreadable (run `hub graph login` again); a new signing key invalidates every decision link already sent.
#
# App Service resolves a Key Vault reference when the app's configuration changes and then caches the value for up to
# a day: a reference read before its secret existed would stay unresolved that long. So the secrets step ends by
# asking the platform to resolve the references again and restarting the app.
#
# Environment (azd passes its environment's values to hooks; without azd, set RESOURCE_GROUP or nothing):
#   RESOURCE_GROUP           the resource group (default rg-continuityhub-<env>; created when missing)
#   LOCATION                 region of a new resource group (default swedencentral); it must offer Flex Consumption
#   AZURE_RESOURCE_GROUP     for `secrets` and `recover-vault`: the group (azd sets it; else RESOURCE_GROUP)
#   AZURE_KEY_VAULT_NAME     for `secrets`: the vault (azd sets it; default: the one vault in the group)
#   AZURE_FUNCTION_APP_NAME  for `secrets`: the app (azd sets it; default: the app tagged azd-service-name=api)
#   AZURE_ENV_NAME           for `recover-vault`: the environment whose vault to recover (its azd-env-name tag)
#   AZURE_SUBSCRIPTION_ID    when set, the subscription the Azure CLI must be signed in to
#
# Needs: the Azure CLI (2.66 or later) signed in (`az login`) as Owner or User Access Administrator of the group
# (the template assigns roles), and for a full deployment the .NET 10 SDK and zip.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_root
readonly intake_sources=(servicenow jira pagerduty opsgenie azuremonitor generic alertmanager heartbeat)
# The documented endpoint that makes App Service resolve an app's Key Vault references now instead of within a day.
readonly references_api="config/configreferences/appsettings"
readonly references_api_version="2022-03-01"

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'deploy.sh: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "needs '$1' on PATH: $2"; }
# Lower case without bash 4 (macOS ships bash 3.2): Azure ids and names compare case-insensitively.
lower() { tr '[:upper:]' '[:lower:]' <<<"$1"; }

# 64 hex characters from the kernel's CSPRNG.
random_secret() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# A 256-bit key, base64: what Graph__TokenCacheKey and Decisions__SigningKey expect.
random_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

# The hooks act on the subscription azd deployed to; the Azure CLI has its own notion of the current one.
check_subscription() {
  [[ -n "${AZURE_SUBSCRIPTION_ID:-}" ]] || return 0
  local current
  current="$(az account show --query id -o tsv)"
  [[ "$(lower "$current")" == "$(lower "$AZURE_SUBSCRIPTION_ID")" ]] ||
    die "the Azure CLI is signed in to subscription $current, the azd environment is in $AZURE_SUBSCRIPTION_ID: run az account set --subscription $AZURE_SUBSCRIPTION_ID"
}

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

# After `azd down` (or a deleted resource group) the vault waits, soft-deleted, for 90 days under its name, and a new
# deployment of the same environment fails with "vault exists in deleted state". Recovering it brings it back with its
# secrets, so the deployment updates it, ITSM tools keep their webhook secrets and decision links stay valid. Only a
# vault tagged with this environment (azd-env-name) is recovered, and when a group is given, only one that lived there.
recover_vault() {
  local env_name="$1" wanted_group="$2" deleted name location vault_id tag group found=""
  log "Looking for a soft-deleted vault of environment $env_name"
  deleted="$(az keyvault list-deleted --resource-type vault \
    --query '[].[name, properties.location, properties.vaultId, properties.tags."azd-env-name"]' -o tsv)"
  while IFS=$'\t' read -r name location vault_id tag; do
    [[ -n "$name" && "$tag" == "$env_name" ]] || continue
    group="$(sed -E 's#^.*/resource[Gg]roups/([^/]+)/.*$#\1#' <<<"$vault_id")"
    if [[ -n "$wanted_group" && "$(lower "$group")" != "$(lower "$wanted_group")" ]]; then
      log "$name (deleted, environment $env_name) lived in $group, not $wanted_group: left alone"
      continue
    fi
    found=1
    # Recovery puts the vault back into the group it came from, which `azd down` deleted with everything else.
    if [[ "$(az group exists --name "$group")" != "true" ]]; then
      log "Creating resource group $group in $location for the vault to return to"
      az group create --name "$group" --location "$location" --tags "azd-env-name=$env_name" -o none
    fi
    log "Recovering soft-deleted vault $name into $group (its secrets come back with it)"
    az keyvault recover --name "$name" --resource-group "$group" --location "$location" -o none
  done <<<"$deleted"
  [[ -n "$found" ]] || log "No soft-deleted vault of $env_name: nothing to recover"
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

# Makes the app resolve its Key Vault references now (instead of within a day) and restarts it, so the host and the
# worker start with the values. A reference can still fail while the app's own role on the vault propagates: the
# references are refreshed again for a minute, then whatever is still unresolved is named.
refresh_references() {
  local group="$1" app="$2" site_id attempt unresolved=""
  site_id="$(az functionapp show --resource-group "$group" --name "$app" --query id -o tsv)"
  [[ -n "$site_id" ]] || die "no Function App $app in $group"
  for attempt in $(seq 1 6); do
    log "Making $app resolve its Key Vault references again"
    az rest --method post --uri "$site_id/$references_api/refresh?api-version=$references_api_version" -o none
    unresolved="$(az rest --method get --uri "$site_id/$references_api?api-version=$references_api_version" \
      --query "value[?properties.status!='Resolved' && !starts_with(name, 'Reactions__')].name" -o tsv)"
    unresolved="$(tr '\n' ' ' <<<"$unresolved")"
    [[ -n "${unresolved// /}" ]] || { unresolved=""; break; }
    if ((attempt < 6)); then
      log "Not resolved yet: ${unresolved}(the app's role on the vault may still be propagating); again in 10 seconds"
      sleep 10
    fi
  done
  [[ -z "$unresolved" ]] || warn "still unresolved: ${unresolved}- run infra/deploy.sh secrets again in a few minutes"
  # The write-back tokens are the platform engineer's to set (writeback-{source}-token): not waited for, only named.
  local off
  off="$(az rest --method get --uri "$site_id/$references_api?api-version=$references_api_version" \
    --query "value[?properties.status!='Resolved' && starts_with(name, 'Reactions__')].name" -o tsv | tr '\n' ' ')"
  [[ -z "${off// /}" ]] || log "Write-back off until its Key Vault secret exists: ${off}(see README, Webhook secrets and keys)"
  log "Restarting $app so it starts with the resolved values"
  az functionapp restart --resource-group "$group" --name "$app" -o none
}

publish() {
  local group="$1" app="$2" work="$work_dir/publish" attempt

  log "Publishing src/ContinuityHub.Functions (Release)"
  dotnet publish "$repo_root/src/ContinuityHub.Functions" --configuration Release --output "$work/app" --nologo
  (cd "$work/app" && zip -qr "$work/app.zip" .)

  # Flex Consumption takes one deployment path: the package goes to the deployment container (the CLI's
  # config-zip uses it for Flex apps) and the app restarts from it.
  for attempt in $(seq 1 5); do
    log "Deploying the package to $app"
    az functionapp deployment source config-zip --resource-group "$group" --name "$app" --src "$work/app.zip" -o none && return
    ((attempt < 5)) || die "the package was refused 5 times; run infra/deploy.sh again in a few minutes"
    log "Refused: right after provisioning this is usually a 403 while the new role assignments on storage propagate; retrying in 30 seconds ($attempt of 5)"
    sleep 30
  done
}

# Vault and app of the environment the hook (or `secrets`) acts on: from azd's values, else found in the group.
hook_secrets() {
  local group="${AZURE_RESOURCE_GROUP:-${RESOURCE_GROUP:-}}" vault="${AZURE_KEY_VAULT_NAME:-}" app="${AZURE_FUNCTION_APP_NAME:-}"
  [[ -n "$group" ]] || die "set AZURE_RESOURCE_GROUP or RESOURCE_GROUP"
  [[ -n "$vault" ]] || vault="$(resource_name "$group" Microsoft.KeyVault/vaults)"
  [[ -n "$app" ]] || app="$(resource_name "$group" Microsoft.Web/sites "[?tags.\"azd-service-name\"=='api'].name | [0]")"
  [[ -n "$vault" ]] || die "no Key Vault found in $group"
  [[ -n "$app" ]] || die "no Function App tagged azd-service-name=api in $group"
  ensure_secrets "$vault"
  refresh_references "$group" "$app"
}

main() {
  local env="${1:-dev}"
  need az "install the Azure CLI, then az login"
  # Scratch space (the app package, a secret on its way to Key Vault), removed however the script ends.
  work_dir="$(mktemp -d)"
  trap 'rm -rf "$work_dir"' EXIT

  case "$env" in
    secrets)
      check_subscription
      hook_secrets
      return
      ;;
    recover-vault)
      [[ -n "${AZURE_ENV_NAME:-}" ]] || die "set AZURE_ENV_NAME (azd sets it for its hooks)"
      check_subscription
      recover_vault "$AZURE_ENV_NAME" "${AZURE_RESOURCE_GROUP:-${RESOURCE_GROUP:-}}"
      return
      ;;
    dev | prod) ;;
    *) die "unknown command '$env' (expected dev, prod, secrets or recover-vault)" ;;
  esac

  need dotnet "install the .NET 10 SDK"
  need zip "install zip (apt-get install zip)"
  az account show -o none 2>/dev/null || die "not signed in: run az login"

  local group="${RESOURCE_GROUP:-rg-continuityhub-$env}" location="${LOCATION:-swedencentral}" app vault url
  # The environment name main.$env.bicepparam sets, and so the vault's azd-env-name tag.
  recover_vault "continuityhub-$env" "$group"
  if [[ "$(az group exists --name "$group")" == "true" ]]; then
    log "Resource group $group exists"
  else
    log "Creating resource group $group in $location"
    az group create --name "$group" --location "$location" --tags "azd-env-name=continuityhub-$env" -o none
  fi

  log "Deploying bicep/main.bicep with bicep/main.$env.bicepparam (takes a few minutes)"
  az deployment group create --resource-group "$group" --name "continuityhub-$env" \
    --template-file "$repo_root/bicep/main.bicep" --parameters "$repo_root/bicep/main.$env.bicepparam" -o none

  app="$(resource_name "$group" Microsoft.Web/sites "[?tags.\"azd-service-name\"=='api'].name | [0]")"
  vault="$(resource_name "$group" Microsoft.KeyVault/vaults)"
  [[ -n "$app" && -n "$vault" ]] || die "the deployment left no Function App or Key Vault in $group"

  ensure_secrets "$vault"
  refresh_references "$group" "$app"
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
