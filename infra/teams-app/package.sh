#!/usr/bin/env bash
# Builds the hub's Teams app package (continuityhub-teams-app.zip: manifest.json, color.png, outline.png) for upload
# to the Teams admin center. The manifest declares the `continuityAlert` activity type the hub's personal alerts use,
# and names in webApplicationInfo.id the Entra app that sends them: Graph only delivers an activity-feed notification
# when the calling app is the webApplicationInfo.id of a Teams app installed for the recipient. The hub sends them
# app-only with its user-assigned managed identity, so that is the identity's client id.
#
#   infra/teams-app/package.sh --resource-group <group>            looks both values up with the Azure CLI
#   infra/teams-app/package.sh --client-id <guid> --website <url>   no Azure CLI needed
#
# Options:
#   --client-id <guid>      client id of the hub's managed identity (azd output AZURE_MANAGED_IDENTITY_CLIENT_ID)
#   --website <https url>   the developer website the Teams app shows (default: the Function App, AZURE_FUNCTION_APP_URL)
#   --resource-group <rg>   the group the hub was deployed to: takes both from its identity and Function App
#   --out <file>            where to write the package (default: out/continuityhub-teams-app.zip in the repository)
#   -h, --help              this text
#
# Needs: zip (and the Azure CLI, signed in, for --resource-group).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly here
repo_root="$(cd "$here/../.." && pwd)"
readonly repo_root

die() { printf 'package.sh: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

main() {
  local client_id="${AZURE_MANAGED_IDENTITY_CLIENT_ID:-}" website="${AZURE_FUNCTION_APP_URL:-}" group="" out="$repo_root/out/continuityhub-teams-app.zip"
  while (($#)); do
    case "$1" in
      --client-id) client_id="${2:?--client-id needs a value}"; shift 2 ;;
      --website) website="${2:?--website needs a value}"; shift 2 ;;
      --resource-group) group="${2:?--resource-group needs a value}"; shift 2 ;;
      --out) out="${2:?--out needs a value}"; shift 2 ;;
      -h | --help) usage; return 0 ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
  done

  if [[ -n "$group" ]]; then
    command -v az >/dev/null 2>&1 || die "--resource-group needs the Azure CLI (az) on PATH"
    client_id="$(az identity list --resource-group "$group" --query "[0].clientId" -o tsv)"
    website="https://$(az functionapp list --resource-group "$group" --query "[0].defaultHostName" -o tsv)"
  fi

  [[ "$client_id" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]] ||
    die "the managed identity's client id '${client_id}' is not a GUID (--client-id, or --resource-group)"
  [[ "$website" =~ ^https://[A-Za-z0-9.-]+(/.*)?$ ]] ||
    die "the website '${website}' is not an https URL (--website, or --resource-group)"
  command -v zip >/dev/null 2>&1 || die "needs zip on PATH (apt-get install zip)"

  # Scratch space for the filled-in manifest, removed however the script ends.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  sed -e "s|{{HUB_IDENTITY_CLIENT_ID}}|$client_id|g" -e "s|{{HUB_WEBSITE_URL}}|$website|g" \
    "$here/manifest.json" >"$work/manifest.json"
  if grep -q '{{' "$work/manifest.json"; then
    die "manifest.json still has a placeholder: $(grep -o '{{[^}]*}}' "$work/manifest.json" | sort -u | tr '\n' ' ')"
  fi
  cp "$here/color.png" "$here/outline.png" "$work/"

  mkdir -p "$(dirname "$out")"
  out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
  rm -f "$out" "$out.tmp"
  # The three files at the root of the archive, as Teams expects them.
  (cd "$work" && zip -q -X "$out.tmp" manifest.json color.png outline.png)
  mv "$out.tmp" "$out"
  printf '%s\n' "$out"
  printf 'Upload it in the Teams admin center (Teams apps > Manage apps > Upload new app), then install it for\n' >&2
  printf 'the crisis teams: README, "Deploy to Azure", section 4.\n' >&2
}

main "$@"
