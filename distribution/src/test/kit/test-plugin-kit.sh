#!/bin/sh
# The plugin kit's end-to-end test, run by the distribution's integration-test phase: build the kit
# of the assembled distribution folder as its README says (from another folder, offline, with no
# ~/.m2 of the user's: user.home points at an empty folder), drop the jar it makes into a plugins
# folder beside the shipped plugins, check that `regimen plugins --check`, `regimen components` and
# `regimen plugins` see it, and train a tiny script with its augmenter through the launcher.
#
# Arguments: MAVEN_HOME DIST_DIR WORK_DIR
set -eu
maven_home=$1 dist=$2 work=$3
kit=$dist/plugin-kit

fail() {
  echo "plugin kit test: $*" >&2
  exit 1
}

# Prints "$2" and fails unless the file $1 contains the fixed string $3.
expect() {
  grep -F -q -- "$3" "$1" || { cat "$1" >&2; fail "$2: no '$3' in the output above"; }
}

# No class-data archive in the user's cache from a test (src/test/cds tests the archive).
REGIMEN_CDS=off
export REGIMEN_CDS
rm -rf "$work" "$kit/target"
mkdir -p "$work/home" "$work/plugins" "$work/runs"
cd "$work"

# 1. Build the kit: .mvn/maven.config alone points Maven at plugin-kit/repository, offline.
if ! env -u MAVEN_ARGS MAVEN_OPTS="-Duser.home=$work/home" "$maven_home/bin/mvn" -B -f "$kit/pom.xml" package \
    >"$work/kit-build.log" 2>&1; then
  grep -E '\[ERROR\]' "$work/kit-build.log" | head -n 40 >&2
  fail "the kit did not build offline from $kit (log: $work/kit-build.log)"
fi
expect "$work/kit-build.log" "the kit's tests" "Tests run: "
grep -q 'Downloading from' "$work/kit-build.log" && fail "the kit's build downloaded something: see $work/kit-build.log"
[ -d "$work/home/.m2" ] && fail "the kit's build used a ~/.m2 ($work/home/.m2) instead of plugin-kit/repository"
jar=$kit/target/regimen-plugin-cutout-1.0.0.jar
[ -f "$jar" ] || fail "the kit's build made no $jar"

# 2. The jar beside the shipped plugins.
cp "$dist"/plugins/*.jar "$work/plugins/"
cp "$jar" "$work/plugins/"
rm -rf "$kit/target"
regimen=$dist/bin/regimen
# Every jar there passes the check, the shipped ones too: the check holds for real plugins.
"$regimen" plugins --plugins "$work/plugins" --check "$work"/plugins/*.jar >"$work/check.txt" 2>&1 \
  || { cat "$work/check.txt" >&2; fail "regimen plugins --check refused a jar"; }
expect "$work/check.txt" "plugins --check" "ok     augmenter cutout: 2 options, made with the defaults"
expect "$work/check.txt" "plugins --check" "note   augmenter color_jitter: not made, as its default options are refused"
[ "$(grep -c '^OK: ' "$work/check.txt")" = "$(ls "$work"/plugins/*.jar | wc -l)" ] \
  || { cat "$work/check.txt" >&2; fail "plugins --check did not pass every jar"; }
"$regimen" components augmenter --plugins "$work/plugins" >"$work/components.txt" 2>&1 || fail "regimen components failed"
expect "$work/components.txt" "regimen components augmenter" "cutout"
expect "$work/components.txt" "regimen components augmenter" "plugin 'cutout'"
expect "$work/components.txt" "regimen components augmenter" "mixup"
"$regimen" plugins --plugins "$work/plugins" >"$work/plugins.txt" 2>&1 || fail "regimen plugins failed"
expect "$work/plugins.txt" "regimen plugins" "cutout"
grep -E -q '^[0-9]+ problems?:' "$work/plugins.txt" && { cat "$work/plugins.txt" >&2; fail "a plugin failed to load beside the kit's"; }

# 3. Train with it: a linear model on the digits as 1x8x8 images, every training image cut.
cat >"$work/cutout.js" <<'JS'
const data = rg.data.digits({ normalize: 'zscore', validation: 0.25, images: true });
const model = rg.sequential([rg.layer('flatten'), rg.layer('dense', { units: 10 })]);
const history = rg.trainer({
  loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 1e-2 }),
  epochs: 2, batchSize: 64, metrics: ['accuracy'],
  augmenters: [rg.augmenter('cutout', { size: rg.param('size', 4) })],
}).fit(model, data.train, data.validation);
rg.log('cutout val_accuracy ' + history.val_accuracy[1].toFixed(4));
JS
REGIMEN_HEAP=1g REGIMEN_THREADS=2 "$regimen" run "$work/cutout.js" --plugins "$work/plugins" --out "$work/runs" --seed 1 \
  >"$work/run.txt" 2>&1 || { cat "$work/run.txt" >&2; fail "training with cutout failed"; }
accuracy=$(sed -n 's/.*cutout val_accuracy \([0-9.]*\).*/\1/p' "$work/run.txt" | tail -n 1)
[ -n "$accuracy" ] || { cat "$work/run.txt" >&2; fail "the run printed no val_accuracy"; }
awk -v a="$accuracy" 'BEGIN { exit !(a > 0.8) }' || fail "val_accuracy $accuracy after 2 epochs with cutout; expected > 0.8"

# The component the run used is the plugin's: its option check answers.
if REGIMEN_HEAP=1g "$regimen" run "$work/cutout.js" --plugins "$work/plugins" --out "$work/runs" --set size=0 \
    >"$work/bad.txt" 2>&1; then
  fail "a run with cutout size=0 succeeded"
fi
expect "$work/bad.txt" "cutout size=0" "Received: size=0"
echo "plugin kit: built offline, loaded beside the shipped plugins, trained (val_accuracy $accuracy)"
