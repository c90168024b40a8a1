#!/bin/sh
# Writes <app dir>/java.args, what an image's java runs: the module's JVM options, a class archive when
# one can be recorded, then the jar. Run by src/docker/Dockerfile with the image's own JVM (an archive
# belongs to the JVM that wrote it); the end-to-end tests run it on this machine's.
#
#   prepare-start.sh <app dir> <tools dir>
#
# <app dir> holds app.jar and jvm.options. With launcher.jar in <tools dir> (mesh-node images) the
# node's archive is recorded by ./mesh class-archive, the training run ./mesh up does on a first
# start. Any other Spring Boot jar is extracted and trained by Spring's own run that exits once its
# context is refreshed, given the application arguments in <tools dir>/training.args if there is one
# (whitespace-separated; lines starting with # skipped). A recording that fails says why and leaves
# the plain jar: the image still builds and starts.
set -eu
app=$1
tools=$2
launcher="$tools/launcher.jar"
training_args=""
if [ -f "$tools/training.args" ]; then
  training_args=$(grep -v '^#' "$tools/training.args" || true)
fi
args="$app/java.args"
rm -f "$args"

# A dynamic archive extends the JVM's base archive: write that first should the JVM come without one.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
if [ ! -f "$java_home/lib/server/classes.jsa" ]; then
  java -Xshare:dump > /dev/null 2>&1 || true
fi

if [ -f "$launcher" ]; then
  java -jar "$launcher" class-archive --node-jar "$app/app.jar" --archive-dir "$app/class-archive" \
      --jvm-options "$app/jvm.options" --args-file "$args" \
    || { echo "class archive not recorded: this image starts from the plain jar" >&2; rm -rf "$app/class-archive" "$args"; }
elif java -Djarmode=tools -jar "$app/app.jar" extract --destination "$app/extracted" > /dev/null 2>&1; then
  if java @"$app/jvm.options" -XX:ArchiveClassesAtExit="$app/app.jsa" -Dspring.context.exit=onRefresh \
        -jar "$app/extracted/app.jar" $training_args > "$app/class-archive.log" 2>&1 \
      && [ -f "$app/app.jsa" ]; then
    { cat "$app/jvm.options"; printf '%s\n' "-XX:SharedArchiveFile=$app/app.jsa" -jar "$app/extracted/app.jar"; } > "$args"
  else
    echo "class archive not recorded (see $app/class-archive.log): this image starts from the plain jar" >&2
    rm -rf "$app/extracted" "$app/app.jsa"
  fi
fi

if [ ! -f "$args" ]; then
  { cat "$app/jvm.options"; printf '%s\n' -jar "$app/app.jar"; } > "$args"
fi
