#!/bin/sh
# Fills plugin-kit/repository/ of an assembled distribution with exactly what the kit's own build
# needs, by running that build (clean install, tests included) against an empty local repository:
# whatever Maven fetches for it is what the kit's users need offline. Regimen's own artifacts
# (framework-api, the parent pom, the test kit) are not in any remote repository: they are copied in
# first, in repository layout. Afterwards the files that tie artifacts to the repository they came
# from (_remote.repositories, *.lastUpdated, resolver-status.properties) are removed, so that Maven
# takes every artifact as installed locally, and the sample plugin's own installed copy goes.
#
# Arguments: MAVEN_HOME DIST_DIR WORK_DIR SOURCE_REPO_URL offline=true|false VERSION then
# GROUP_PATH:ARTIFACT:EXTENSION:FILE... (each Regimen file to place, e.g. dev/regimen:framework-api:pom:FILE).
set -eu
maven_home=$1 dist=$2 work=$3 source=$4 offline=${5#offline=} version=$6
shift 6
kit=$dist/plugin-kit
repo=$kit/repository
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$repo" "$work"
mkdir -p "$repo" "$work"
for item in "$@"; do
  group=${item%%:*}
  rest=${item#*:}
  artifact=${rest%%:*}
  rest=${rest#*:}
  extension=${rest%%:*}
  file=${rest#*:}
  target=$repo/$group/$artifact/$version
  mkdir -p "$target"
  cp "$file" "$target/$artifact-$version.$extension"
done

# The build runs on a copy without .mvn/, whose maven.config would make it offline and local-only.
cp -R "$kit" "$work/plugin-kit"
rm -rf "$work/plugin-kit/.mvn" "$work/plugin-kit/repository"
log=$work/build.log
if ! "$maven_home/bin/mvn" -B -f "$work/plugin-kit/pom.xml" -s "$here/settings.xml" \
    -Dmaven.repo.local="$repo" -Dregimen.kit.source="$source" -Dregimen.kit.offline="$offline" \
    -Daether.offline.protocols=file -Dregimen.home="$dist" clean install >"$log" 2>&1; then
  grep -E '\[ERROR\]|Tests run:' "$log" | head -n 60 >&2
  echo "populate-repository: the plugin kit's build failed; its log is $log" >&2
  exit 1
fi
grep -E 'Tests run:.*Fail' "$log" | tail -n 1

find "$repo" \( -name _remote.repositories -o -name '*.lastUpdated' -o -name resolver-status.properties \
  -o -name 'maven-metadata-regimen-build.xml*' \) -exec rm -f {} +
rm -rf "$repo/com/example"
echo "plugin-kit/repository: $(du -sk "$repo" | cut -f1) KiB"
