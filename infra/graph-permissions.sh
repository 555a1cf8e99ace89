#!/usr/bin/env bash
# Grants the hub's managed identity the Microsoft Graph application permissions the Teams notifier uses app-only.
# Bicep cannot grant Graph permissions (they live in Entra ID, not in Azure Resource Manager), so this script does,
# with the Azure CLI: one appRoleAssignment per permission on the identity's service principal. Safe to re-run:
# permissions already granted are skipped.
#
#   infra/graph-permissions.sh <resource-group>        the group the hub was deployed to (finds its identity)
#   IDENTITY_PRINCIPAL_ID=<object id> infra/graph-permissions.sh
#
# Who may run it: an Entra admin who can grant application permissions (Privileged Role Administrator, or
# Global Administrator), signed in with `az login`.
#
# What it grants, and why (README, "Deploy to Azure", says the same):
#   TeamsActivity.Send          personal activity-feed alerts to the roster tier on duty
#   OnlineMeetings.ReadWrite.All the bridge meeting on RecommendInvocation/Invoke, created on the organizer's
#                               behalf; Teams only allows that for organizers covered by an application access
#                               policy (printed below)
#   Channel.Create              the war-room channel on invocation
#   ChannelMember.ReadWrite.All adding the crisis team to that channel
# What it does not grant:
#   ChannelMessage.Send         posting the card in the crisis team's channel is not possible app-only (Graph allows
#                               application permission only for migration imports); the notifications account posts
#                               it with a delegated permission after `hub graph login` (DESIGN.md section 5)
#   Mail.Send                   the e-mail fallback is granted in Exchange Online with RBAC for Applications, scoped
#                               to the hub's shared mailbox (printed below); a Graph grant would be tenant-wide, and
#                               Exchange adds the two together, so the scope would be lost
set -euo pipefail

readonly graph_app_id="00000003-0000-0000-c000-000000000000" # Microsoft Graph, the same in every tenant
readonly graph_url="${GRAPH_URL:-https://graph.microsoft.com}"
readonly permissions=(TeamsActivity.Send OnlineMeetings.ReadWrite.All Channel.Create ChannelMember.ReadWrite.All)

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'graph-permissions.sh: %s\n' "$*" >&2; exit 1; }

main() {
  command -v az >/dev/null 2>&1 || die "needs the Azure CLI (az) on PATH"
  az account show -o none 2>/dev/null || die "not signed in: run az login"

  local principal="${IDENTITY_PRINCIPAL_ID:-}" client_id="" group="${1:-}"
  if [[ -z "$principal" ]]; then
    [[ -n "$group" ]] || die "usage: $0 <resource-group>   (or set IDENTITY_PRINCIPAL_ID)"
    read -r principal client_id < <(az identity list --resource-group "$group" \
      --query "[0].[principalId, clientId]" -o tsv)
    [[ -n "$principal" ]] || die "no user-assigned managed identity in resource group $group"
  fi
  if [[ -z "$client_id" ]]; then
    client_id="$(az ad sp show --id "$principal" --query appId -o tsv)"
  fi

  local graph_sp
  graph_sp="$(az ad sp show --id "$graph_app_id" --query id -o tsv)"
  log "Identity: service principal $principal (client id $client_id); Microsoft Graph: $graph_sp"

  local granted
  granted="$(az rest --method GET \
    --uri "$graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --query "value[?resourceId=='$graph_sp'].appRoleId" -o tsv)"

  local permission role_id
  for permission in "${permissions[@]}"; do
    # The app role's id, looked up by name on Graph's own service principal rather than copied here.
    role_id="$(az ad sp show --id "$graph_app_id" \
      --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)"
    [[ -n "$role_id" ]] || die "Microsoft Graph has no application permission named $permission"
    if grep -qxF "$role_id" <<<"$granted"; then
      log "$permission: already granted"
      continue
    fi
    az rest --method POST \
      --uri "$graph_url/v1.0/servicePrincipals/$principal/appRoleAssignments" \
      --headers "Content-Type=application/json" \
      --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}" -o none
    log "$permission: granted"
  done

  cat >&2 <<MANUAL

Two grants live outside Entra ID; run them once in PowerShell (replace the addresses):

  # Teams (MicrosoftTeams module): let the hub create bridge meetings for these organizers
  Connect-MicrosoftTeams
  New-CsApplicationAccessPolicy -Identity ContinuityHub-Bridges -AppIds "$client_id" -Description "ContinuityHub crisis bridges"
  Grant-CsApplicationAccessPolicy -PolicyName ContinuityHub-Bridges -Identity crisis-bridge@contoso.com

  # Exchange Online (ExchangeOnlineManagement module): Mail.Send from the hub's shared mailbox only
  Connect-ExchangeOnline
  New-ServicePrincipal -AppId "$client_id" -ObjectId "$principal" -DisplayName "ContinuityHub"
  New-ManagementScope -Name "ContinuityHub mailbox" -RecipientRestrictionFilter "PrimarySmtpAddress -eq 'continuity@contoso.com'"
  New-ManagementRoleAssignment -App "$principal" -Role "Application Mail.Send" -CustomResourceScope "ContinuityHub mailbox"

Then install the hub's Teams app (TeamsActivity.Send needs it) and sign in the notifications account
with 'hub graph login', as the Teams notifier's documentation describes.
MANUAL
}

main "$@"
