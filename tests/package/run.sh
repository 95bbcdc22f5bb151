#!/bin/bash
# tests/package/run.sh [BUILD_DIR] -- the Debian package, end to end, on this
# machine: builds it with cpack (prefix /usr, in BUILD_DIR, default
# build/package), installs it with dpkg -i, checks what it put in place
# (files, the releve user, folders, the enabled unit, systemd-analyze verify
# and security), builds examples/plugin-minimal out of tree against the
# installed header with pkg-config and sees `releve plugins` load it, runs
# `releve remind` and `releve ingest` as root (nothing left owned by root),
# then check-config and one `releved --once` pass as the releve user on that
# state, then
# purges the package and checks that nothing is left.
#
# Needs root and a Debian system; systemd need not be running (the unit is
# verified, never started). A machine where a releve package is already
# installed is left alone (skipped). The releve user and group, which a
# purge keeps as Debian does, are deleted again when this test made them.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build/package}
work=$(mktemp -d /tmp/releve-package.XXXXXX)
chmod 755 "$work" # the releve user reads the example plugin's copy here
start=$SECONDS

say() { echo "package: $*"; }
fail() {
  echo "package: FAIL: $*" >&2
  exit 1
}
skip() {
  echo "package: skipped: $*"
  exit 0
}
as_releve() { runuser -u releve -- "$@"; }

[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg -i)"
command -v dpkg >/dev/null || skip "not a Debian system"
for tool in cpack dpkg-shlibdeps file systemd-analyze systemd-sysusers systemd-tmpfiles \
  pkg-config make cc python3 runuser; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps installs it)"
done
status=$(dpkg-query -W -f='${db:Status-Status}' releve 2>/dev/null || true)
if [ -n "$status" ] && [ "$status" != not-installed ]; then
  skip "a releve package is on this machine ($status); it is not replaced"
fi

made_user=no
getent passwd releve >/dev/null || made_user=yes
installed=no
plugin_copy=
cleanup() {
  local rc=$?
  set +e
  [ -z "$plugin_copy" ] || rm -f "$plugin_copy"
  if [ "$installed" = yes ]; then
    dpkg --purge releve >"$work/purge-on-exit.log" 2>&1 || cat "$work/purge-on-exit.log" >&2
  fi
  if [ "$made_user" = yes ]; then
    if getent passwd releve >/dev/null; then userdel releve; fi
    if getent group releve >/dev/null; then groupdel releve; fi
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

# ---- build ---------------------------------------------------------------
plugins=OFF
[ -f "$top/plugins/CMakeLists.txt" ] && plugins=ON
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$top" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=Release \
  -DRELEVE_TESTS=OFF -DRELEVE_PLUGINS=$plugins >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; fail "cmake configure"; }
cmake --build "$build" -j"$jobs" >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log" >&2; fail "build"; }
rm -f "$build"/releve_*.deb
(cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$build"/releve_*.deb)

# ---- the package itself ----------------------------------------------------
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libuv1 libjansson4 libsqlite3-0 systemd; do
  case ", $depends," in *", $lib "* | *", $lib,"*) ;; *) fail "Depends lacks $lib: $depends" ;; esac
done
dpkg-deb -e "$deb" "$work/control"
for f in /etc/releve/releve.json /etc/releve/referentiel.json \
  /etc/releve/geography/qpv_2015_paris.csv /etc/releve/geography/arrondissements_paris.csv; do
  [ "$(grep -cx "$f" "$work/control/conffiles")" = 1 ] || fail "$f is not listed once in conffiles"
done
for s in postinst prerm postrm; do
  [ -x "$work/control/$s" ] || fail "no executable $s"
  sh -n "$work/control/$s" || fail "$s: shell syntax"
done
dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/share/man/man8/releved.8.gz ./usr/share/man/man1/releve.1.gz \
  ./usr/share/man/man5/releve.json.5.gz ./usr/share/man/man3/releve-plugin.3.gz; do
  grep -q " $f\$" "$work/contents" || fail "the package has no $f"
done

# ---- install ----------------------------------------------------------------
DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >"$work/install.log" 2>&1 ||
  { installed=yes; cat "$work/install.log" >&2; fail "dpkg -i"; }
installed=yes

unit=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)/releved.service
plugindir=$(pkg-config --variable=plugindir releve-plugin) || fail "pkg-config finds no releve-plugin"
# The .pc file is relocatable (paths from ${pcfiledir}): compare the folder, not its spelling.
plugindir=$(realpath -m "$plugindir")
for f in /usr/bin/releve /usr/bin/releved /usr/include/releve/plugin.h "$unit" \
  /usr/lib/sysusers.d/releve.conf /usr/lib/tmpfiles.d/releve.conf \
  /etc/releve/releve.json /etc/releve/referentiel.json \
  /etc/releve/geography/qpv_2015_paris.csv /etc/releve/geography/arrondissements_paris.csv; do
  [ -f "$f" ] || fail "$f is not installed"
done
[ -d "$plugindir" ] || fail "plugin folder $plugindir is missing"
if [ "$plugins" = ON ]; then
  for p in template caf pole-emploi academie; do
    [ -f "$plugindir/$p.so" ] || fail "plugin $p.so is not installed in $plugindir"
  done
fi
python3 - "$plugindir" <<'PY' || fail "/etc/releve/releve.json does not name the system paths"
import json, sys
c = json.load(open("/etc/releve/releve.json", encoding="utf-8"))
want = {"database": "/var/lib/releve/releve.db", "spool": "/var/spool/releve",
        "referentiel": "/etc/releve/referentiel.json", "plugins": sys.argv[1],
        "geography": {"qpv_2015": "/etc/releve/geography/qpv_2015_paris.csv",
                      "arrondissements": "/etc/releve/geography/arrondissements_paris.csv"}}
bad = {k: c.get(k) for k, v in want.items() if c.get(k) != v}
if c.get("mail", {}).get("outbox") != "/var/lib/releve/outbox":
    bad["mail.outbox"] = c.get("mail", {}).get("outbox")
if bad:
    sys.exit("wrong keys: %s" % bad)
PY

# The user, the group and the folders made by postinst.
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd releve) || fail "no releve user"
getent group releve >/dev/null || fail "no releve group"
[ "$uid" -lt 1000 ] || fail "releve is not a system user (uid $uid)"
[ "$home" = /var/lib/releve ] || fail "releve's home is $home"
case "$shell" in */nologin | */false) ;; *) fail "releve has a login shell: $shell" ;; esac
[ "$(stat -c '%U:%G %a' /var/lib/releve)" = "releve:releve 750" ] ||
  fail "/var/lib/releve is $(stat -c '%U:%G %a' /var/lib/releve)"
[ "$(stat -c '%U:%G %a' /var/spool/releve)" = "releve:releve 750" ] ||
  fail "/var/spool/releve is $(stat -c '%U:%G %a' /var/spool/releve)"
if command -v deb-systemd-helper >/dev/null; then
  [ -L /etc/systemd/system/multi-user.target.wants/releved.service ] ||
    fail "releved.service is not enabled"
fi

# ---- the unit ---------------------------------------------------------------
# Documentation= names the manual pages; images that leave /usr/share/man
# out (dpkg path-exclude) cannot resolve them, which says nothing of the unit.
man_check=--man=yes
if ! command -v man >/dev/null || ! man -w releved >/dev/null 2>&1; then
  man_check=--man=no
fi
systemd-analyze verify $man_check "$unit" >"$work/verify.log" 2>&1 ||
  { cat "$work/verify.log" >&2; fail "systemd-analyze verify $unit"; }
[ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify warns"; }
systemd-analyze security --offline=yes "$unit" >"$work/security.log" 2>&1 ||
  { cat "$work/security.log" >&2; fail "systemd-analyze security"; }
exposure=$(sed -n 's/.*Overall exposure level for releved.service: \([0-9.]*\).*/\1/p' "$work/security.log")
[ -n "$exposure" ] || { cat "$work/security.log" >&2; fail "no exposure figure"; }
awk -v e="$exposure" 'BEGIN { exit !(e <= 3.0) }' ||
  { grep '✗' "$work/security.log" >&2; fail "exposure $exposure is above 3.0"; }

# ---- a plugin built out of tree against the installed header ---------------
cp -r "$top/examples/plugin-minimal" "$work/plugin"
make -C "$work/plugin" >"$work/plugin.log" 2>&1 || { cat "$work/plugin.log" >&2; fail "example plugin build"; }
exported=$(nm -D --defined-only "$work/plugin/minimal.so" | awk '{print $3}' | tr '\n' ' ')
[ "$exported" = "releve_plugin_entry_v1 " ] || fail "the example plugin exports: $exported"
plugin_copy=$plugindir/minimal.so
make -C "$work/plugin" install >>"$work/plugin.log" 2>&1 || { cat "$work/plugin.log" >&2; fail "make install"; }
as_releve releve -c /etc/releve/releve.json plugins --json >"$work/plugins.json" ||
  fail "releve plugins --json as releve"
python3 - "$work/plugins.json" "$plugins" <<'PY' || fail "releve plugins does not list what it should"
import json, sys
listed = json.load(open(sys.argv[1], encoding="utf-8"))["plugins"]
loaded = {p["name"] for p in listed if p["loaded"]}
want = {"minimal"} | ({"template", "caf", "pole-emploi", "academie"} if sys.argv[2] == "ON" else set())
refused = [(p["file"], p.get("refused")) for p in listed if not p["loaded"]]
if not want <= loaded or refused:
    sys.exit("loaded %s, wanted %s, refused %s" % (sorted(loaded), sorted(want), refused))
PY
n_plugins=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["plugins"]))' "$work/plugins.json")

# ---- as root, before the daemon ever ran -------------------------------------
# remind (database, outbox) and ingest (database, WAL, spool) run as root
# become the owner of /var/lib/releve: nothing they make is left to root.
releve -c /etc/releve/releve.json remind --date 2024-04-15 >"$work/remind.log" 2>&1 ||
  { cat "$work/remind.log" >&2; fail "releve remind as root"; }
ls /var/lib/releve/outbox/* >/dev/null 2>&1 || fail "releve remind as root queued no mail"
printf 'indicateur;libelle;periode;geographie;valeur;part;statut;commentaire\nG08.1;x;2019;QPV;3;;;\n' \
  >"$work/dasco.csv"
releve -c /etc/releve/releve.json ingest --actor dasco "$work/dasco.csv" >"$work/ingest.log" 2>&1 ||
  grep -q 'REFUSÉ' "$work/ingest.log" || { cat "$work/ingest.log" >&2; fail "releve ingest as root"; }
[ -f /var/lib/releve/releve.db ] || fail "releve ingest as root made no database"
root_owned=$(find /var/lib/releve /var/spool/releve -user root)
[ -z "$root_owned" ] || fail "left owned by root by commands run as root: $root_owned"

# ---- as the service's user ---------------------------------------------------
as_releve releve -c /etc/releve/releve.json check-config >"$work/check.log" 2>&1 ||
  { cat "$work/check.log" >&2; fail "check-config as releve"; }
timeout 60 runuser -u releve -- releved -c /etc/releve/releve.json --once >"$work/once.log" 2>&1 ||
  { cat "$work/once.log" >&2; fail "releved --once as releve"; }
grep -q 'ready:' "$work/once.log" || { cat "$work/once.log" >&2; fail "releved as releve did not start on that state"; }
[ "$(stat -c '%U %a' /var/spool/releve/caf/incoming)" = "releve 2770" ] ||
  fail "incoming/ is $(stat -c '%U %a' /var/spool/releve/caf/incoming), releve 2770 expected"

# ---- purge -------------------------------------------------------------------
rm -f "$plugin_copy"
plugin_copy=
dpkg --purge releve >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge"; }
installed=no
for f in /usr/bin/releved /usr/bin/releve "$unit" /etc/releve /var/lib/releve /var/spool/releve \
  /etc/systemd/system/multi-user.target.wants/releved.service "$plugindir"; do
  [ ! -e "$f" ] && [ ! -L "$f" ] || fail "$f is left after purge"
done

say "$(basename "$deb"): installed ($n_plugins plugins loaded as releve, minimal among them)," \
  "unit verified, exposure $exposure, remind and ingest as root left nothing to root," \
  "check-config and releved --once ok as releve, purged" \
  "($((SECONDS - start)) s)"
