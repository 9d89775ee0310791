#!/usr/bin/env bash
# Fetches one npm package with the npm client, checks it against a pinned sha256, and unpacks part of it.
#   npm-fetch.sh PACKAGE@VERSION SHA256 WHAT DEST [FILES]
#     WHAT = bins/<platform>  the prebuilt llama.cpp libraries of @node-llama-cpp/<platform> -> DEST/*.so
#                             (FILES: which of them, a shell pattern; default *.so)
#     WHAT = llama-src        the llama.cpp source of node-llama-cpp (llama/gitRelease.bundle) -> DEST (a git checkout)
# Tarballs are cached in ${NPM_FETCH_CACHE:-~/.cache/local-ai-runtime/npm}; a cached one is checked again.
set -euo pipefail
spec=$1 sha=$2 what=$3 dest=$4 files=${5:-*.so}
cache=${NPM_FETCH_CACHE:-$HOME/.cache/local-ai-runtime/npm}
name=${spec%@*}; version=${spec##*@}
file="$cache/$(printf '%s' "${name#@}" | tr '/' '-')-$version.tgz"
# what DEST holds is remembered outside it (DEST's content is packed into a bundle as it is)
mkdir -p "$cache/stamps"
stamp="$cache/stamps/$(printf '%s' "$dest" | sha256sum | cut -c1-24)"
# (with the names of the files it holds: another step may have put other files there, e.g. llama-build.sh)
want="$spec $sha $what $files $( (ls -A "$dest" 2>/dev/null || true) | tr '\n' ' ')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm-fetch: the npm client (Node.js) is needed to fetch $spec" >&2; exit 1; }
if [ ! -f "$file" ] || [ "$(sha256sum "$file" | cut -d' ' -f1)" != "$sha" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  mv "$tmp"/*.tgz "$file.part" && rm -rf "$tmp"
  got=$(sha256sum "$file.part" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    rm -f "$file.part"
    echo "npm-fetch: $spec has sha256 $got, not the pinned $sha: refusing it" >&2; exit 1
  fi
  mv "$file.part" "$file"
fi
rm -rf "$dest" && mkdir -p "$dest"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
case "$what" in
  bins/*)
    tar xzf "$file" -C "$tmp" "package/$what"
    # the libraries only: node-llama-cpp's addon and C++-only helper library are not used from Java
    find "$tmp/package/$what" -maxdepth 1 -name "$files" -name '*.so' ! -name 'libllama-common.so' -exec cp {} "$dest/" \;
    ;;
  llama-src)
    tar xzf "$file" -C "$tmp" package/llama/gitRelease.bundle
    git clone -q "$tmp/package/llama/gitRelease.bundle" "$dest.git" && rm -rf "$dest" && mv "$dest.git" "$dest"
    ;;
  *) echo "npm-fetch: unknown part $what" >&2; exit 1 ;;
esac
echo "$spec $sha $what $files $(ls -A "$dest" | tr '\n' ' ')" > "$stamp"
echo "npm-fetch: $spec -> $dest ($(ls "$dest" | wc -l) entries)"
