# Sourced by .ci/run and .ci/mesh: point JAVA_HOME at a JDK 21 or newer.
# The image's default JDK is 17; a newer one sits beside it under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then JAVA_HOME=$candidate; break; fi
  done
fi
if [ -z "$JAVA_HOME" ]; then
  echo "tts-mesh needs a JDK 21 or newer and found none under /usr/lib/jvm." >&2
  echo "Install one (e.g. apt-get install openjdk-21-jdk-headless, or Temurin 21+) or set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
echo "Using JDK $(java_major "$JAVA_HOME") at $JAVA_HOME"
