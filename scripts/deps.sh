#!/bin/sh
# deps.sh installs the Debian packages Wallboard needs, only those missing.
#   scripts/deps.sh build   cgo + OpenGL/X11 headers for the Fyne window
#   scripts/deps.sh test    the above, plus the servers the tests start (the
#                           Prometheus and InfluxDB 1.x of tests/)
# Go modules come from the Go module proxy on first build.
set -eu
pkgs="gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
case "${1:-build}" in
build) ;;
test) pkgs="$pkgs prometheus influxdb" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing Debian packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
