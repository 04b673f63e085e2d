# Helpers the bench scripts source.

# The macro summary's `all` row as "ops/s p50": operation ok failed ops/s p50 ...
summary_row() { awk '$1 == "all" { gsub(",", "", $4); print $4, $5 }' | tail -n 1; }

# Median of whitespace-separated numbers.
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
