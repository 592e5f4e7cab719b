# shellcheck shell=bash
# County figures in the demo (issue 13): a network leader at Tartu linn and enough further
# cases in some municipalities that not every cell is under 5. Sourced by deploy/quickstart.sh
# after deploy/demo/county.sh; uses its helpers (as, say, muni, cm_id, SCHOOL_ID).
#
# Every child here is invented: the isikukoods are made up and valid by the check-digit rule
# only; the children are named "Näidis <n>".

# The network leader (koostöövõrgustiku eestvedaja) of the county, registered at Tartu linn.
FIGURES_LEADER=leelo

# An 11-digit isikukood for a child born in 20YY-MM-DD with serial SSS (3 digits): the check
# digit by the rule in DOMAIN.md (weights 1..9,1; if 10, 3..9,1,2,3; if 10 again, 0).
demo_isikukood() {
  local base="$1" i s=0 c
  local -a w1=(1 2 3 4 5 6 7 8 9 1) w2=(3 4 5 6 7 8 9 1 2 3)
  for i in $(seq 0 9); do s=$((s + ${base:i:1} * w1[i])); done
  c=$((s % 11))
  if [ "$c" -eq 10 ]; then
    s=0
    for i in $(seq 0 9); do s=$((s + ${base:i:1} * w2[i])); done
    c=$((s % 11))
    [ "$c" -ne 10 ] || c=0
  fi
  printf '%s%s' "$base" "$c"
}

# How many further cases each municipality's case manager opens for the figures.
declare -A FIGURES_CASES=([0793]=11 [0171]=7 [0796]=6 [0283]=3 [0528]=2)
FIGURES_NEEDS=(reading speech emotional attendance behaviour)

county_figures_data() {
  local e n i k=0 ik id level yy
  as 0793 it-admin user add "$FIGURES_LEADER" --role network-leader --name "Leelo Lind" \
    --phone "+372 5550 7939" --email "leelo@tartu.example" >/dev/null
  say "$(muni 0793) user $FIGURES_LEADER (Leelo Lind), network leader of the county"
  for e in "${COUNTY[@]}"; do
    k=$((k + 1))
    n="${FIGURES_CASES[$e]:-0}"
    [ "$n" -gt 0 ] || continue
    for ((i = 1; i <= n; i++)); do
      # At the node's demo school (born 2015-2018) or kindergarten (born 2020-2021); boys (5)
      # and girls (6); serial <municipality number><case number>.
      level="$(field "${INSTITUTION[$e]}" 2)"
      yy=$((15 + i % 4))
      [ "$level" != kindergarten ] || yy=$((20 + i % 2))
      ik="$(demo_isikukood "$((5 + i % 2))${yy}0$(((i % 9) + 1))1$((i % 10))${k}$(printf %02d "$i")")"
      id="$(as "$e" "$(cm_id "$e")" --json case open --child "$ik" --name "Näidis $i" \
        --level "$level" --institution "${SCHOOL_ID[$e]}" \
        --need "${FIGURES_NEEDS[$((i % 5))]}" --reason "figures demo" | new_id)"
      [ "$((i % 2))" -ne 0 ] ||
        as "$e" "$(cm_id "$e")" case escalate "$id" --to II --reason "figures demo" >/dev/null
    done
    say "$(muni "$e") $n further cases (for the county figures)"
  done
}
