# shellcheck shell=bash
# The demo county that deploy/quickstart.sh loads into its eight nodes. Sourced, not run.
#
# Every person, child, isikukood, phone number and e-mail address here is invented for the
# demo (the isikukoods are valid by the check-digit rule, nothing more). The children's
# surname is "Näidis" ("sample"), and the e-mail domains end in .example.
#
# The caller provides:
#   as EHAK USER HOPCTL_ARGS...   runs hopctl as USER of node EHAK (fails loudly)
#   new_id                        reads hopctl --json output on stdin, prints the record's id
#   say TEXT... / note TEXT...    prints a line of the story / a comment before a shown call
#   show EHAK USER HOPCTL_ARGS... prints the call and its answer (errors are reported)
#   muni EHAK                     "EHAK Name" padded to a column
#   LOOKUP                        "yes" if this hopctl has the lookup command
# Only municipality and user data are defined at source time; the functions load them.

# The eight municipalities of Tartu County (EHAK code -> name), in port order.
COUNTY=(0793 0171 0283 0291 0432 0528 0586 0796)
declare -A MUNI_NAME=(
  [0793]="Tartu linn" [0171]="Elva vald" [0283]="Kambja vald" [0291]="Kastre vald"
  [0432]="Luunja vald" [0528]="Nõo vald" [0586]="Peipsiääre vald" [0796]="Tartu vald")
declare -A MUNI_MAIL=(
  [0793]=tartu [0171]=elva [0283]=kambja [0291]=kastre
  [0432]=luunja [0528]=noo [0586]=peipsiaare [0796]=tartuvald)

# Every node has an "it-admin" (bootstrap admin, runs sync and looks at peers), a case
# manager (juhtumikorraldaja) and a child-protection specialist (lastekaitsespetsialist).
# user id|name|phone
declare -A CM=(
  [0793]="tiina|Tiina Tamm|+372 5550 7931"    [0171]="anne|Anne Allik|+372 5550 1711"
  [0283]="kadri|Kadri Kuusk|+372 5550 2831"   [0291]="helen|Helen Haab|+372 5550 2911"
  [0432]="eve|Eve Ees|+372 5550 4321"         [0528]="maarja|Maarja Mägi|+372 5550 5281"
  [0586]="siiri|Siiri Sepp|+372 5550 5861"    [0796]="kristi|Kristi Kõiv|+372 5550 7961")
declare -A CP=(
  [0793]="peeter|Peeter Pihlakas|+372 5550 7932" [0171]="margus|Margus Mänd|+372 5550 1712"
  [0283]="rein|Rein Rebane|+372 5550 2832"       [0291]="toomas|Toomas Tuisk|+372 5550 2912"
  [0432]="liis|Liis Lepp|+372 5550 4322"         [0528]="andres|Andres Aas|+372 5550 5282"
  [0586]="jaan|Jaan Jõgi|+372 5550 5862"         [0796]="urmas|Urmas Uus|+372 5550 7962")
# Staff of an institution, registered after their institution exists (the story needs them):
# EHAK|user id|role|name
INSTITUTION_STAFF=(
  "0793|mari|teacher|Mari Maasikas"     # class teacher at Tartu Kesklinna Kool
  "0793|kati|coordinator|Kati Kask"     # its learning-support coordinator (HEVKO)
  "0171|piret|coordinator|Piret Paju")  # HEVKO at Elva Kool

# Each node's school or kindergarten and its contact person:
# name|kind|age level|contact name|contact role|phone|e-mail local part|topic;topic
declare -A INSTITUTION=(
  [0793]="Tartu Kesklinna Kool|school|school|Kati Kask|HEVKO|+372 5551 7930|kati.kask|learning-support;transitions"
  [0171]="Elva Kool|school|school|Piret Paju|HEVKO|+372 5551 1710|piret.paju|learning-support;mental-health"
  [0283]="Kambja Lasteaed|kindergarten|kindergarten|Ülle Org|AEVKO|+372 5551 2830|ylle.org|speech;school-readiness"
  [0291]="Kastre Kool|school|school|Malle Mets|sotsiaalpedagoog|+372 5551 2910|malle.mets|family;attendance"
  [0432]="Luunja Kool|school|school|Siim Saar|HEVKO|+372 5551 4320|siim.saar|behaviour;learning-support"
  [0528]="Nõo Lasteaed|kindergarten|kindergarten|Reet Raud|AEVKO|+372 5551 5280|reet.raud|speech;other-language"
  [0586]="Peipsiääre Lasteaed|kindergarten|kindergarten|Galina Ivanova|AEVKO|+372 5551 5860|galina.ivanova|other-language;speech"
  [0796]="Tartu Valla Kool|school|school|Kersti Kuld|HEVKO|+372 5551 7960|kersti.kuld|learning-support;youth-work")

# The children of the story and their guardians (isikukood: sex+century, YYMMDD, serial, check).
A_CHILD=51403120272    # Rasmus, b. 2014: school in Tartu linn, registered in Kambja
A_MOTHER=48509235762
B_CHILD=61507040314    # Lisete, b. 2015: separated parents, Elva and Nõo
B_FATHER=38202154216   # lives in Elva (the mother lives in Nõo)
C_CHILD=61906110285    # Sofia, b. 2019: kindergarten in Peipsiääre, consent to Tartu vald withdrawn
C_MOTHER=49002285183
C_FATHER=38706110246
D_CHILD=51309050455    # Marten, b. 2013: child-protection case in Luunja, registered in Kastre

field() { local IFS='|'; local -a f; read -r -a f <<<"$1"; printf '%s' "${f[$2]}"; }
cm_id() { field "${CM[$1]}" 0; }
cp_id() { field "${CP[$1]}" 0; }

# The user ids that need a staff certificate on node EHAK.
county_users_of() {
  local e="$1" line
  printf '%s\n' it-admin "$(cm_id "$e")" "$(cp_id "$e")"
  for line in "${INSTITUTION_STAFF[@]}"; do
    if [ "$(field "$line" 0)" = "$e" ]; then field "$line" 1; echo; fi
  done
  # The county's network leader (deploy/demo/figures.sh), when it is loaded.
  if [ "$e" = 0793 ] && [ -n "${FIGURES_LEADER:-}" ]; then echo "$FIGURES_LEADER"; fi
}

declare -A SCHOOL_ID=()  # EHAK -> the id of its school or kindergarten, set by county_directory

# Case manager and child-protection specialist of every node, registered by its it-admin.
county_users() {
  local e
  for e in "${COUNTY[@]}"; do
    # Phone and e-mail travel as the responsible contact of the cases they are responsible for.
    as "$e" it-admin user add "$(cm_id "$e")" --role case-manager --name "$(field "${CM[$e]}" 1)" \
      --phone "$(field "${CM[$e]}" 2)" --email "$(cm_id "$e")@${MUNI_MAIL[$e]}.example" >/dev/null
    as "$e" it-admin user add "$(cp_id "$e")" --role child-protection --name "$(field "${CP[$e]}" 1)" \
      --phone "$(field "${CP[$e]}" 2)" --email "$(cp_id "$e")@${MUNI_MAIL[$e]}.example" >/dev/null
    say "$(muni "$e") it-admin; case manager $(cm_id "$e") ($(field "${CM[$e]}" 1)); child-protection $(cp_id "$e") ($(field "${CP[$e]}" 1))"
  done
}

# Each node's directory, entered by its case manager: the municipality itself with its case
# manager and child-protection specialist, and a school or kindergarten with its coordinator.
# Then the institution staff the story needs.
county_directory() {
  local e cm town school line topic
  local -a topics args
  for e in "${COUNTY[@]}"; do
    cm=$(cm_id "$e")
    town=$(as "$e" "$cm" --json directory institution add --name "${MUNI_NAME[$e]} (omavalitsus)" \
      --kind municipality --ownership municipal --municipality "$e" | new_id)
    for line in "${CM[$e]}|juhtumikorraldaja|services;transport" \
                "${CP[$e]}|lastekaitsespetsialist|child-protection;family"; do
      args=()
      IFS=';' read -r -a topics <<<"$(field "$line" 4)"
      for topic in "${topics[@]}"; do args+=(--topic "$topic"); done
      as "$e" "$cm" directory contact add --institution "$town" --name "$(field "$line" 1)" \
        --role "$(field "$line" 3)" --phone "$(field "$line" 2)" \
        --email "$(field "$line" 0)@${MUNI_MAIL[$e]}.example" --age-level municipality \
        "${args[@]}" >/dev/null
    done
    line="${INSTITUTION[$e]}"
    school=$(as "$e" "$cm" --json directory institution add --name "$(field "$line" 0)" \
      --kind "$(field "$line" 1)" --ownership municipal --municipality "$e" | new_id)
    SCHOOL_ID[$e]="$school"
    args=()
    IFS=';' read -r -a topics <<<"$(field "$line" 7)"
    for topic in "${topics[@]}"; do args+=(--topic "$topic"); done
    as "$e" "$cm" directory contact add --institution "$school" --name "$(field "$line" 3)" \
      --role "$(field "$line" 4)" --phone "$(field "$line" 5)" \
      --email "$(field "$line" 6)@${MUNI_MAIL[$e]}.example" --age-level "$(field "$line" 2)" \
      "${args[@]}" >/dev/null
    say "$(muni "$e") $town ${MUNI_NAME[$e]} (2 contacts), $school $(field "$line" 0) ($(field "$line" 3), $(field "$line" 4))"
  done
  for line in "${INSTITUTION_STAFF[@]}"; do
    e=$(field "$line" 0)
    as "$e" it-admin user add "$(field "$line" 1)" --role "$(field "$line" 2)" \
      --name "$(field "$line" 3)" --institution "${SCHOOL_ID[$e]}" >/dev/null
    say "$(muni "$e") user $(field "$line" 1) ($(field "$line" 3)), $(field "$line" 2) at ${SCHOOL_ID[$e]}"
  done
}

# The four stories. Sets CASE_A..CASE_D.
county_cases() {
  # (a) Rasmus goes to school in Tartu linn but is registered (and lives) in Kambja. His class
  # teacher opens the case, the school's coordinator and then Tartu's case manager take it
  # over; the speech therapy is given in Kambja; his mother lets Kambja see the summary, who
  # is responsible and the services.
  CASE_A=$(as 0793 mari --json case open --child "$A_CHILD" --name "Rasmus Näidis" --level school \
    --institution "${SCHOOL_ID[0793]}" --need reading --need speech \
    --reason "falls behind in reading in grade 3" | new_id)
  as 0793 kati case escalate "$CASE_A" --to II --reason "the class teacher's measures were not enough" >/dev/null
  as 0793 tiina case escalate "$CASE_A" --to III --reason "needs a service from the home municipality" >/dev/null
  as 0793 tiina case relate "$CASE_A" --registered 0283 --actual 0283 >/dev/null
  as 0793 tiina case service "$CASE_A" --type speech-therapy --provider "${SCHOOL_ID[0283]}" \
    --municipality 0283 --start 2026-10-01 --end 2027-05-31 \
    --transport-payment "Kambja pays; the mother drives" >/dev/null
  as 0793 tiina consent grant --child "$A_CHILD" --guardian "$A_MOTHER" --to 0283 \
    --scope summary,contact,services --purpose "coordinate support with the home municipality" \
    --until 2027-08-31 --evidence "TL-2026-0114" >/dev/null
  say "(a) $CASE_A in 0793 Tartu linn: Rasmus ($A_CHILD), stage III, case manager tiina;"
  say "    registered in 0283 Kambja; speech therapy in Kambja; mother's consent to 0283: summary, contact, services"

  # (b) Lisete lives every other week with her father in Elva and her mother in Nõo. Her
  # school's coordinator in Elva runs the case and her father lets Nõo see it.
  CASE_B=$(as 0171 piret --json case open --child "$B_CHILD" --name "Lisete Näidis" --level school \
    --institution "${SCHOOL_ID[0171]}" --need emotional --need attendance \
    --reason "often absent after the weeks in Nõo" | new_id)
  as 0171 piret case escalate "$CASE_B" --to II --reason "needs an action plan with both families" >/dev/null
  as 0171 piret case relate "$CASE_B" --registered 0171 --actual 0171,0528 >/dev/null
  as 0171 piret consent grant --child "$B_CHILD" --guardian "$B_FATHER" --to 0528 \
    --scope summary,contact --purpose "the child lives every other week in Nõo" \
    --until 2027-06-30 --evidence "EL-2026-0031" >/dev/null
  say "(b) $CASE_B in 0171 Elva: Lisete ($B_CHILD), stage II, coordinator piret;"
  say "    lives in 0171 Elva and 0528 Nõo; father's consent to 0528: summary, contact"

  # (c) Sofia's mother, moving to Tartu vald, lets Tartu vald see her kindergarten case in
  # Peipsiääre; Tartu vald syncs and holds it; then her father withdraws (any guardian may).
  CASE_C=$(as 0586 siiri --json case open --child "$C_CHILD" --name "Sofia Näidis" \
    --level kindergarten --institution "${SCHOOL_ID[0586]}" --need speech \
    --reason "speaks little in either language" | new_id)
  as 0586 siiri case relate "$CASE_C" --registered 0586 --actual 0586,0796 >/dev/null
  as 0586 siiri case assign "$CASE_C" --case-manager siiri >/dev/null
  as 0586 siiri consent grant --child "$C_CHILD" --guardian "$C_MOTHER" --to 0796 \
    --scope summary,contact --purpose "continue speech support after moving" \
    --until 2027-06-30 --evidence "PA-2026-0007" >/dev/null
  say "(c) $CASE_C in 0586 Peipsiääre: Sofia ($C_CHILD); mother's consent to 0796 Tartu vald. Tartu vald syncs now:"
  as 0796 it-admin sync --peer 0586 | sed 's/^/    /'
  if [ "$LOOKUP" = yes ]; then
    note "Tartu vald's case manager looks Sofia up while the consent is in force"
    show 0796 "$(cm_id 0796)" lookup --child "$C_CHILD" --purpose "the family is moving to Tartu vald"
  fi
  say "    ... and then Sofia's father withdraws it (any guardian may):"
  as 0586 siiri consent withdraw --child "$C_CHILD" --guardian "$C_FATHER" --evidence "PA-2026-0012" | sed 's/^/    /'

  # (d) Marten goes to school in Luunja but is registered in Kastre. The school raises an
  # alarm; Luunja's child-protection specialist takes the case onto the child-protection
  # track. No consent: Kastre's child-protection specialists learn the fact and who is
  # responsible, nothing more.
  CASE_D=$(as 0432 eve --json case open --child "$D_CHILD" --name "Marten Näidis" --level school \
    --institution "${SCHOOL_ID[0432]}" --need behaviour \
    --reason "bruises; afraid to go home" | new_id)
  as 0432 eve case relate "$CASE_D" --registered 0291 --actual 0432 >/dev/null
  as 0432 liis case protect "$CASE_D" --reason "suspected violence at home" >/dev/null
  say "(d) $CASE_D in 0432 Luunja: Marten ($D_CHILD) on the child-protection track, specialist liis;"
  say "    registered in 0291 Kastre (shared without consent: the fact and liis's contact, to child-protection only)"
}
