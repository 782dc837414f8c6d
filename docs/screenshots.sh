#!/usr/bin/env bash
# Regenerates the report screenshots in docs/ from the embedded mock's reports, with headless
# Chromium (Debian: apt-get install chromium). The reports open from disk; the diff view is
# shown through a throw-away page that frames the report at its first operation's section.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo xtask audit >/dev/null
cargo xtask migrate >/dev/null
target=$(cargo metadata --no-deps --format-version 1 | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
shot() { # out.png url height
  # Without the background-networking flags Chromium reaches for Google's hosts at start.
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$(mktemp -d)" --window-size=1280,"$3" --screenshot="$1" "$2" 2>/dev/null
}
shot docs/audit.png "file://$target/audit/audit.html" 1500
shot docs/migration.png "file://$target/migration/migration.html" 1500
frame=$target/migration/diff-view.html
printf '<!DOCTYPE html><body style="margin:0"><iframe src="migration.html#op-kycInit" style="border:0;width:1280px;height:1150px"></iframe>' > "$frame"
shot docs/migration-diff.png "file://$frame" 1150
