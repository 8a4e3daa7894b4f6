#!/usr/bin/env bash
# Fails if the repository tracks a file over 5 MB (5,000,000 bytes): large
# tools and data come from package registries into ignored folders instead
# (bench/.node from npm, for example). Prints each offending file.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=5000000
# Sizes of the tracked blobs as staged, whatever is on disk.
# (ls-files -s prints "MODE BLOB STAGE<TAB>PATH"; cat-file gives each blob's
# size and passes the path on as %(rest).)
big=$(git ls-files -s | sed -E 's/^[0-9]+ ([0-9a-f]+) [0-9]+\t/\1 /' |
      git cat-file --batch-check='%(objectsize) %(rest)' | awk -v limit="$limit" '$1 > limit')
if [ -n "$big" ]; then
  echo "check_tree: tracked files over the 5 MB limit (bytes, path):" >&2
  echo "$big" >&2
  exit 1
fi
echo "check_tree: no tracked file over 5 MB ($(git ls-files | wc -l) files)"
