#!/usr/bin/env bash
# Wall time of the demo generator at scale 1 and 10, on a scratch database that already holds
# the territories and the programme (prepare_demo on SQLite, or migrate + import_territoires +
# import_programme on PostgreSQL). Usage: DATABASE_URL=… bench/generate_demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for scale in 1 10; do
  start=$(date +%s.%N)
  .venv/bin/python manage.py generate_demo --scale "$scale" --force | tail -1
  echo "échelle $scale : $(echo "$(date +%s.%N) - $start" | bc) s (démarrage de Django compris)"
done
.venv/bin/python manage.py generate_demo --scale 1 | tail -1
