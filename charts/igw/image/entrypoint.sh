#!/bin/sh
# igw image entrypoint: `controller ARGS...` or `picker ARGS...`.
set -e
component="$1"; shift || true
case "$component" in
  controller) exec java ${JAVA_OPTS:-} -jar /opt/igw/controller/igw-controller.jar "$@" ;;
  picker) exec java ${JAVA_OPTS:-} -jar /opt/igw/picker/igw-picker.jar "$@" ;;
  *) echo "usage: entrypoint.sh controller|picker ARGS..." >&2; exit 2 ;;
esac
