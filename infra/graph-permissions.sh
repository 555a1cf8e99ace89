#!/usr/bin/env bash
# Grants the Microsoft Graph permissions the Teams notifications use, and nothing more. Bicep cannot do this (Graph
# permissions live in Entra ID, not in Azure Resource Manager), so this script does, with the Azure CLI. Safe to
# re-run: whatever is already granted is left as it is.
#
#   infra/graph-permissions.sh --resource-group <group> --notifications-account <UPN> [options]
#
# What it does (README, "Deploy to Azure", section 4, says the same):
#   1. The hub's managed identity (app-only calls) gets these Graph application permissions (appRoleAssignments):
#        TeamsActivity.Send             personal activity-feed alerts        POST /users/{id}/teamwork/sendActivityNotification
#        OnlineMeetings.ReadWrite.All   the bridge meeting                   POST /users/{organizer}/onlineMeetings
#        Channel.Create                 the war-room channel on invocation   POST /teams/{id}/channels
#        ChannelMember.ReadWrite.All    the crisis team added to it          POST /teams/{id}/channels/{id}/members
#   2. The hub's app registration (Graph__ClientId, the public client `hub graph login` signs in to; created as
#      "ContinuityHub notifications sign-in" when --client-id is not given) gets public-client flows on and the
#      delegated ChannelMessage.Send (+ offline_access, openid, profile, which MSAL asks for at every sign-in), with
#      admin consent for the notifications account only (an oauth2PermissionGrant of consentType Principal):
#        ChannelMessage.Send            the alert card and its replies       POST /teams/{id}/channels/{id}/messages[/{id}/replies]
#      Graph allows channel posts only with a delegated permission (the application one is for migration imports).
#   3. It prints what it cannot do from here: the Teams application access policy for the meeting organizer, the
#      Exchange Online RBAC for Applications grant of Mail.Send scoped to the shared mailbox, the Teams app upload,
#      and `hub graph login`.
# Mail.Send is deliberately not an Entra grant: Exchange adds an Entra grant to its own RBAC for Applications grants,
# so a tenant-wide Graph Mail.Send would let the hub send as any mailbox whatever the Exchange scope says.
#
# Options:
#   --resource-group <group>          the group the hub was deployed to (finds its managed identity)
#   --identity-principal-id <id>      the managed identity's object id instead (env IDENTITY_PRINCIPAL_ID)
#   --notifications-account <UPN>     the account channel cards are posted as (env HUB_GRAPH_NOTIFICATIONS_ACCOUNT)
#   --client-id <app id>              an existing app registration to use for `hub graph login` (env HUB_GRAPH_CLIENT_ID)
#   --mail-sender <address>           the shared mailbox of the e-mail fallback, for the printed commands (env HUB_GRAPH_MAIL_SENDER)
#   --meeting-organizer <UPN>         the bridge meetings' organizer, for the printed commands (env HUB_GRAPH_MEETING_ORGANIZER)
#   -h, --help                        this text
#
# Who may run it: an Entra admin who can grant application permissions and admin consent (Privileged Role
# Administrator, or Global Administrator), signed in with `az login`.
set -euo pipefail

readonly graph_app_id="00000003-0000-0000-c000-000000000000" # Microsoft Graph, the same in every tenant
readonly graph_url="${GRAPH_URL:-https://graph.microsoft.com}"
readonly app_permissions=(TeamsActivity.Send OnlineMeetings.ReadWrite.All Channel.Create ChannelMember.ReadWrite.All)
readonly delegated_permissions=(ChannelMessage.Send offline_access openid profile)
readonly sign_in_app_name="ContinuityHub notifications sign-in"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'graph-permissions.sh: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

# The id of Graph's app role (application permission) or delegated scope named $1.
graph_app_role() {
  az ad sp show --id "$graph_app_id" \
    --query "appRoles[?value=='$1' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv
}
graph_scope() {
  az ad sp show --id "$graph_app_id" --query "oauth2PermissionScopes[?value=='$1'].id | [0]" -o tsv
}

# 1. Application permissions for the managed identity.
grant_app_permissions() {
  local principal="$1" graph_sp="$2" granted permission role_id
  granted="$(az rest --method GET --uri "$graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --query "value[?resourceId=='$graph_sp'].appRoleId" -o tsv)"
  for permission in "${app_permissions[@]}"; do
    # Looked up by name on Graph's own service principal rather than copied here.
    role_id="$(graph_app_role "$permission")"
    [[ -n "$role_id" ]] || die "Microsoft Graph has no application permission named $permission"
    if grep -qxF "$role_id" <<<"$granted"; then
      log "identity: $permission already granted"
      continue
    fi
    az rest --method POST --uri "$graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments" \
      --headers "Content-Type=application/json" \
      --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}" -o none
    log "identity: $permission granted"
  done
}

# 2a. The app registration `hub graph login` signs in to: found by --client-id or by name, else created. Prints its
# client id.
ensure_sign_in_app() {
  local client_id="$1"
  if [[ -z "$client_id" ]]; then
    client_id="$(az ad app list --display-name "$sign_in_app_name" --query "[0].appId" -o tsv)"
    if [[ -z "$client_id" ]]; then
      client_id="$(az ad app create --display-name "$sign_in_app_name" --sign-in-audience AzureADMyOrg \
        --is-fallback-public-client true --query appId -o tsv)"
      log "app registration '$sign_in_app_name' created: client id $client_id"
    else
      log "app registration '$sign_in_app_name' found: client id $client_id"
    fi
  fi
  # The device-code flow needs public-client flows on; the app has no secret and no certificate.
  az ad app update --id "$client_id" --is-fallback-public-client true -o none

  # Declared on the registration too, so the portal shows what it is for (the grant below is what counts).
  local declared permission scope_id
  declared="$(az ad app show --id "$client_id" \
    --query "requiredResourceAccess[?resourceAppId=='$graph_app_id'].resourceAccess[].id" -o tsv)"
  for permission in "${delegated_permissions[@]}"; do
    scope_id="$(graph_scope "$permission")"
    [[ -n "$scope_id" ]] || die "Microsoft Graph has no delegated permission named $permission"
    if ! grep -qxF "$scope_id" <<<"$declared"; then
      # (Its advice to run `az ad app permission grant` is answered by the per-account grant below.)
      az ad app permission add --id "$client_id" --api "$graph_app_id" --api-permissions "$scope_id=Scope" -o none 2>/dev/null ||
        die "could not declare $permission on app registration $client_id"
      log "app registration: $permission declared"
    fi
  done

  if [[ -z "$(az ad sp list --filter "appId eq '$client_id'" --query "[0].id" -o tsv)" ]]; then
    az ad sp create --id "$client_id" -o none
    log "app registration: service principal created"
  fi
  printf '%s\n' "$client_id"
}

# 2b. Admin consent to the delegated permissions for the notifications account only.
grant_delegated_permissions() {
  local client_id="$1" account="$2" graph_sp="$3" client_sp user grant current wanted missing permission
  client_sp="$(az ad sp list --filter "appId eq '$client_id'" --query "[0].id" -o tsv)"
  user="$(az ad user show --id "$account" --query id -o tsv)" || die "no user $account in this tenant"
  wanted="${delegated_permissions[*]}"

  read -r grant current < <(az rest --method GET \
    --uri "$graph_url/v1.0/oauth2PermissionGrants?%24filter=clientId%20eq%20%27$client_sp%27" \
    --query "value[?consentType=='Principal' && principalId=='$user' && resourceId=='$graph_sp'] | [0].[id, scope]" -o tsv) || true
  if [[ -z "${grant:-}" ]]; then
    az rest --method POST --uri "$graph_url/v1.0/oauth2PermissionGrants" --headers "Content-Type=application/json" \
      --body "{\"clientId\":\"$client_sp\",\"consentType\":\"Principal\",\"principalId\":\"$user\",\"resourceId\":\"$graph_sp\",\"scope\":\"$wanted\"}" -o none
    log "consent: $wanted granted for $account"
    return
  fi

  # An existing grant keeps what it has; only what is missing is added.
  missing=""
  for permission in "${delegated_permissions[@]}"; do
    grep -qw -- "$permission" <<<"$current" || missing+=" $permission"
  done
  if [[ -z "$missing" ]]; then
    log "consent: $wanted already granted for $account"
    return
  fi
  az rest --method PATCH --uri "$graph_url/v1.0/oauth2PermissionGrants/$grant" --headers "Content-Type=application/json" \
    --body "{\"scope\":\"${current}${missing}\"}" -o none
  log "consent:${missing} added for $account"
}

main() {
  local group="" principal="${IDENTITY_PRINCIPAL_ID:-}" account="${HUB_GRAPH_NOTIFICATIONS_ACCOUNT:-}"
  local client_id="${HUB_GRAPH_CLIENT_ID:-}" mail_sender="${HUB_GRAPH_MAIL_SENDER:-}"
  local organizer="${HUB_GRAPH_MEETING_ORGANIZER:-}"
  while (($#)); do
    case "$1" in
      --resource-group) group="${2:?--resource-group needs a value}"; shift 2 ;;
      --identity-principal-id) principal="${2:?--identity-principal-id needs a value}"; shift 2 ;;
      --notifications-account) account="${2:?--notifications-account needs a value}"; shift 2 ;;
      --client-id) client_id="${2:?--client-id needs a value}"; shift 2 ;;
      --mail-sender) mail_sender="${2:?--mail-sender needs a value}"; shift 2 ;;
      --meeting-organizer) organizer="${2:?--meeting-organizer needs a value}"; shift 2 ;;
      -h | --help) usage; return 0 ;;
      -*) die "unknown option '$1' (see --help)" ;;
      *) group="$1"; shift ;; # the resource group alone, as earlier versions took it
    esac
  done
  [[ -n "$account" ]] || die "--notifications-account <UPN> is needed (the account channel cards are posted as; see --help)"

  command -v az >/dev/null 2>&1 || die "needs the Azure CLI (az) on PATH"
  az account show -o none 2>/dev/null || die "not signed in: run az login"

  local identity_client_id=""
  if [[ -z "$principal" ]]; then
    [[ -n "$group" ]] || die "--resource-group <group> or --identity-principal-id <id> is needed (see --help)"
    read -r principal identity_client_id < <(az identity list --resource-group "$group" \
      --query "[0].[principalId, clientId]" -o tsv) || true
    [[ -n "$principal" ]] || die "no user-assigned managed identity in resource group $group"
  fi
  if [[ -z "$identity_client_id" ]]; then
    identity_client_id="$(az ad sp show --id "$principal" --query appId -o tsv)"
  fi

  local graph_sp
  graph_sp="$(az ad sp show --id "$graph_app_id" --query id -o tsv)"
  log "managed identity: service principal $principal (client id $identity_client_id); Microsoft Graph: $graph_sp"

  grant_app_permissions "$principal" "$graph_sp"
  client_id="$(ensure_sign_in_app "$client_id")"
  grant_delegated_permissions "$client_id" "$account" "$graph_sp"

  local tenant
  tenant="$(az account show --query tenantId -o tsv)"
  cat >&2 <<NEXT

Done in Entra ID. What is left happens elsewhere; run it once (README, "Deploy to Azure", section 4):

1. Turn Graph on in the app, then redeploy (infra/deploy.sh, or azd env set … and azd provision):
     export HUB_GRAPH_TENANT_ID=$tenant
     export HUB_GRAPH_CLIENT_ID=$client_id
     export HUB_GRAPH_NOTIFICATIONS_ACCOUNT=$account
     export HUB_GRAPH_MAIL_SENDER=${mail_sender:-<shared mailbox>}
     export HUB_GRAPH_MEETING_ORGANIZER=${organizer:-<bridge organizer UPN>}

2. Sign the notifications account in (device code; as $account), with the vault's token-cache key:
     Graph__TenantId=$tenant Graph__ClientId=$client_id Graph__NotificationsAccount=$account \\
     Graph__TokenCacheKey="\$(az keyvault secret show --vault-name <vault> --name graph-token-cache-key --query value -o tsv)" \\
     Storage__accountName=<storage account> hub graph login
   and check it with 'hub graph status' (same settings).

3. Teams (PowerShell, MicrosoftTeams module): let the hub create bridge meetings for the organizer
     Connect-MicrosoftTeams
     New-CsApplicationAccessPolicy -Identity ContinuityHub-Bridges -AppIds "$identity_client_id" -Description "ContinuityHub crisis bridges"
     Grant-CsApplicationAccessPolicy -PolicyName ContinuityHub-Bridges -Identity "${organizer:-<bridge organizer UPN>}"

4. Exchange Online (PowerShell, ExchangeOnlineManagement module): Mail.Send from the shared mailbox only
     Connect-ExchangeOnline
     New-ServicePrincipal -AppId "$identity_client_id" -ObjectId "$principal" -DisplayName "ContinuityHub"
     New-ManagementScope -Name "ContinuityHub mailbox" -RecipientRestrictionFilter "PrimarySmtpAddress -eq '${mail_sender:-<shared mailbox>}'"
     New-ManagementRoleAssignment -App "$principal" -Role "Application Mail.Send" -CustomResourceScope "ContinuityHub mailbox"

5. The Teams app (activity-feed alerts reach only people who have it): build it, upload it in the Teams admin
   center (Teams apps > Manage apps > Upload new app), and install it for the crisis teams (in their teams, or
   for the roster's users with an app setup policy):
     infra/teams-app/package.sh --client-id $identity_client_id --website https://<function app host>
NEXT
}

main "$@"
