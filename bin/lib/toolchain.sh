# Sourced by bin/test and bin/run-james: makes sure a JDK 21+ and Maven are there, installing what
# is missing on a Debian machine, and exports JAVA_HOME and PATH for them.
# The build needs a JDK 21+ (the James 3.9 API jars are Java 21 class files); the sources compile to
# Java 17 bytecode, so the extension still runs in a James 3.8 on Java 17.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

find_jdk21() {
  local candidate
  for candidate in "${JAVA_HOME:-}" $(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")") /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    return 1
  fi
}

ensure_toolchain() {
  local jdk
  if ! jdk=$(find_jdk21); then
    echo "No JDK 21 or newer found; trying to install one with apt-get." >&2
    apt_install openjdk-21-jdk-headless || apt_install openjdk-25-jdk-headless || true
    jdk=$(find_jdk21) || {
      echo "A JDK 21 or newer is required (set JAVA_HOME to one). None was found in JAVA_HOME, on the PATH or in /usr/lib/jvm." >&2
      exit 1
    }
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Maven not found; installing it with apt-get." >&2
    apt_install maven || { echo "Apache Maven 3.8 or newer is required on the PATH." >&2; exit 1; }
  fi
}

# The admin console's browser test drives Debian's chromium through its chromedriver. Installed here
# when missing and the script may (root, apt-get); elsewhere that test is skipped and says so.
ensure_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing chromium and chromium-driver with apt-get (the admin console's browser test)..."
    apt_install chromium chromium-driver || { echo "apt-get could not install chromium and chromium-driver." >&2; exit 1; }
  else
    echo "chromium and chromium-driver are missing and cannot be installed here (that takes root and apt-get):" \
         "the admin console's browser test will be skipped." >&2
  fi
}

# Maven's output flags: the caller's usual ones ("$@"), except on the first build on this machine
# (no James in the local repository), where Maven downloads for minutes: then its download lines are
# shown instead of nothing.
maven_output() {
  if [ -d "${HOME}/.m2/repository/org/apache/james/james-server-memory-app" ]; then
    echo "$@"
  else
    echo "First build on this machine: Maven downloads James and the libraries before compiling (several minutes); each download is listed." >&2
  fi
}
