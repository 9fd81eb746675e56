#!/usr/bin/env bash
# Backup and restore against SQLite's online backup plus the age command line, on the same
# demo data, in one run; optionally migrate-store into PostgreSQL. See BENCHMARKS.md.
#
#   bench/backup.sh CASES WORKDIR [POSTGRES_URL]
#
# Needs: release binaries (cargo build --release -p amparo), sqlite3, age, age-keygen
# (Debian: apt-get install sqlite3 age), GNU time. WORKDIR gets the data directory D (kept, so
# a second run reuses the seeded data), the backups and the restored copies (removed).
set -euo pipefail
CASES=${1:?cases}; WORK=${2:?workdir}; PG=${3:-}
BIN=${AMPARO_BIN:-target/release/amparo}
D=$WORK/d$CASES
mkdir -p "$WORK"
stamp() { date -u +%H:%M:%S; }
t() { # label, command...: wall seconds and peak RSS from GNU time
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > /dev/null
  read -r secs kb < "$WORK/time.txt"
  printf '%-44s %9.1f s  %7d MB\n' "$label" "$secs" $((kb / 1024))
}
if [ ! -f "$D/amparo.sqlite3" ]; then
  echo "[$(stamp)] seeding $CASES cases into $D"
  echo 'bench-password-not-secret-2026' | "$BIN" init --data-dir "$D" --org "Refugio Demo" \
    --admin-email admin@demo.org --admin-password-stdin > /dev/null
  t "amparo demo --cases $CASES" "$BIN" demo --data-dir "$D" --cases "$CASES" --seed 1
fi
rm -f "$WORK"/key.txt "$WORK"/*.age "$WORK"/snap.sqlite3 "$WORK"/r2.sqlite3; rm -rf "$WORK/r"
age-keygen -o "$WORK/key.txt" 2> /dev/null
RCPT=$(age-keygen -y "$WORK/key.txt")
echo "[$(stamp)] $CASES cases; database $(du -sh "$D/amparo.sqlite3" | cut -f1)"
for round in 1 2; do
  echo "round $round"
  t "baseline: sqlite3 .backup + age -r" sh -c \
    "sqlite3 '$D/amparo.sqlite3' '.backup $WORK/snap.sqlite3' && age -r $RCPT -o '$WORK/snap.age' '$WORK/snap.sqlite3'"
  t "amparo backup create --recipient" "$BIN" backup create --data-dir "$D" --out "$WORK/b.age" --recipient "$RCPT"
  echo "  sizes: baseline $(du -h "$WORK/snap.age" | cut -f1), amparo $(du -h "$WORK/b.age" | cut -f1)"
  rm -f "$WORK/snap.sqlite3"
  t "baseline: age -d" age -d -i "$WORK/key.txt" -o "$WORK/r2.sqlite3" "$WORK/snap.age"
  t "amparo backup restore (verify, ledger, chain)" "$BIN" backup restore "$WORK/b.age" --data-dir "$WORK/r" --identity "$WORK/key.txt"
  rm -rf "$WORK/r" "$WORK"/*.age "$WORK/r2.sqlite3"
done
if [ -n "$PG" ]; then
  echo "[$(stamp)] migrate-store into $PG"
  t "amparo migrate-store --to postgres" "$BIN" migrate-store --data-dir "$D" --to "$PG"
fi
echo "[$(stamp)] done"
